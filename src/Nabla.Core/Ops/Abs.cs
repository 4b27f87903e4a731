using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = |x|; dy/dx = sign(x), and 0 at exactly 0.</summary>
public readonly struct Abs : IUnaryOp<Abs>
{
    public static string Name => "abs";
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Abs(x);
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => x > T.Zero ? T.One : (x < T.Zero ? -T.One : T.Zero);
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Constant(x.Real > 0 ? 1 : (x.Real < 0 ? -1 : 0));
    public static string DerivativeText(string x, string y) => $"sign({x})";
    public static Domain Domain => new Domain(-3, 3, KinkAt: 0, KinkMargin: 1e-3);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y);
}
