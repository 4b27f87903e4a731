using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = cos(x); dy/dx = −sin(x).</summary>
public readonly struct Cos : IUnaryOp<Cos>
{
    public static string Name => "cos";
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Cos(x);
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => -T.Sin(x);
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => -N.Apply<Sin>(x);
    public static string DerivativeText(string x, string y) => $"-sin({x})";
    public static Domain Domain => Domain.Everywhere;
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, y);
}
