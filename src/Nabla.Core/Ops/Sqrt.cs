using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = √x; dy/dx = 1/(2y) (reuses the output). √ of a negative number is NaN.</summary>
public readonly struct Sqrt : IUnaryOp<Sqrt>
{
    /// <inheritdoc/>
    public static string Name => "sqrt";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Sqrt(x);
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Constant(1) / (y + y);
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"1/(2·sqrt({x}))";
    /// <inheritdoc/>
    public static Domain Domain => Domain.Positive;
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
}
