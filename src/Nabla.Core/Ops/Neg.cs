using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = −x; dy/dx = −1.</summary>
public readonly struct Neg : IUnaryOp<Neg>
{
    /// <inheritdoc/>
    public static string Name => "neg";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => -x;
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Constant(-1);
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => "-1";
    /// <inheritdoc/>
    public static Domain Domain => Domain.Everywhere;
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, y);
}
