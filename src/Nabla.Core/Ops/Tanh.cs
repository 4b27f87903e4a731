using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = tanh(x); dy/dx = 1 − y² (reuses the output).</summary>
public readonly struct Tanh : IUnaryOp<Tanh>
{
    public static string Name => "tanh";
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Tanh(x);
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => T.One - y * y;
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Constant(1) - y * y;
    public static string DerivativeText(string x, string y) => $"1 - tanh({x})^2";
    public static Domain Domain => Domain.Everywhere;
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, y);
}
