using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = ln(x); dy/dx = 1/x. ln of a negative number is NaN, ln(0) is −∞.</summary>
public readonly struct Log : IUnaryOp<Log>
{
    /// <inheritdoc/>
    public static string Name => "log";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Log(x);
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Constant(1) / x;
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"1/{x}";
    /// <inheritdoc/>
    public static Domain Domain => Domain.Positive;
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);
}
