using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = eˣ; dy/dx = y (reuses the output).</summary>
public readonly struct Exp : IUnaryOp<Exp>
{
    /// <inheritdoc/>
    public static string Name => "exp";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Exp(x);
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => y;
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"exp({x})";
    /// <inheritdoc/>
    public static Domain Domain => Domain.Everywhere;
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y);
}
