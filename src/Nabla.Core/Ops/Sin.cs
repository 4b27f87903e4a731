using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = sin(x); dy/dx = cos(x).</summary>
public readonly struct Sin : IUnaryOp<Sin>
{
    public static string Name => "sin";
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Sin(x);
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => T.Cos(x);
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Apply<Cos>(x);
    public static string DerivativeText(string x, string y) => $"cos({x})";
    public static Domain Domain => Domain.Everywhere;
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, y);
}
