using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = 1/(1 + e⁻ˣ); dy/dx = y(1 − y) (reuses the output).</summary>
public readonly struct Sigmoid : IUnaryOp<Sigmoid>
{
    /// <inheritdoc/>
    public static string Name => "sigmoid";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => y * (N.Constant(1) - y);
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"sigmoid({x})·(1 - sigmoid({x}))";
    /// <inheritdoc/>
    public static Domain Domain => Domain.Everywhere;
    // TensorPrimitives.Sigmoid refuses empty spans, unlike its other kernels; an empty tensor has nothing to do.
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        if (!x.IsEmpty) TensorPrimitives.Sigmoid(x, y);
    }
}
