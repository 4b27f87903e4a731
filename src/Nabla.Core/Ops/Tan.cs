using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = tan(x); dy/dx = 1 + y² (reuses the output). Sampled on (−1.2, 1.2), away from the poles at ±π/2.</summary>
public readonly struct Tan : IUnaryOp<Tan>
{
    /// <inheritdoc/>
    public static string Name => "tan";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.Tan(x);
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Constant(1) + y * y;
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"1 + {y}^2";
    /// <inheritdoc/>
    public static Domain Domain => new Domain(-1.2, 1.2);
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Tan(x, y);
}
