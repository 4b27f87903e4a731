using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = eˣ; dy/dx = y (reuses the output).</summary>
public readonly struct Exp : IUnaryOp<Exp>
{
    public static string Name => "exp";
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Exp(x);
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => y;
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => y;
    public static string DerivativeText(string x, string y) => $"exp({x})";
    public static Domain Domain => Domain.Everywhere;
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y);
}
