using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = |x|; dy/dx = sign(x), and 0 at exactly 0.</summary>
public readonly struct Abs : IUnaryOp<Abs>
{
    /// <inheritdoc/>
    public static string Name => "abs";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Abs(x);
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Constant(x.Real > 0 ? 1 : (x.Real < 0 ? -1 : 0));
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"sign({x})";
    /// <inheritdoc/>
    public static Domain Domain => new Domain(-3, 3, KinkAt: 0, KinkMargin: 1e-3);
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y);
}
