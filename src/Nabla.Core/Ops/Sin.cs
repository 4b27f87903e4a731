using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = sin(x); dy/dx = cos(x).</summary>
public readonly struct Sin : IUnaryOp<Sin>
{
    /// <inheritdoc/>
    public static string Name => "sin";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Sin(x);
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Apply<Cos>(x);
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"cos({x})";
    /// <inheritdoc/>
    public static Domain Domain => Domain.Everywhere;
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, y);
}
