using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = cos(x); dy/dx = −sin(x).</summary>
public readonly struct Cos : IUnaryOp<Cos>
{
    /// <inheritdoc/>
    public static string Name => "cos";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Cos(x);
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => -N.Apply<Sin>(x);
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"-sin({x})";
    /// <inheritdoc/>
    public static Domain Domain => Domain.Everywhere;
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, y);
}
