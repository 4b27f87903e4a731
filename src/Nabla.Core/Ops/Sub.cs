using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = a − b; ∂y/∂a = 1, ∂y/∂b = −1.</summary>
public readonly struct Sub : IBinaryOp<Sub>
{
    /// <inheritdoc/>
    public static string Name => "-";
    /// <inheritdoc/>
    public static T Apply<T>(T a, T b) where T : IFloatingPointIeee754<T> => a - b;
    /// <inheritdoc/>
    public static T DerivativeA<T>(T a, T b, T y) where T : IFloatingPointIeee754<T> => DerivativeAOf<PlainNumber<T>>(a, b, y).Value;
    /// <inheritdoc/>
    public static N DerivativeAOf<N>(N a, N b, N y) where N : IDifferentiable<N> => N.Constant(1);
    /// <inheritdoc/>
    public static T DerivativeB<T>(T a, T b, T y) where T : IFloatingPointIeee754<T> => DerivativeBOf<PlainNumber<T>>(a, b, y).Value;
    /// <inheritdoc/>
    public static N DerivativeBOf<N>(N a, N b, N y) where N : IDifferentiable<N> => N.Constant(-1);
    /// <inheritdoc/>
    public static string DerivativeAText(string a, string b, string y) => "1";
    /// <inheritdoc/>
    public static string DerivativeBText(string a, string b, string y) => "-1";
    /// <inheritdoc/>
    public static Domain DomainA => Domain.Everywhere;
    /// <inheritdoc/>
    public static Domain DomainB => Domain.Everywhere;
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Subtract(a, b, y);
}
