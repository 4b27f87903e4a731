using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = a / b; ∂y/∂a = 1/b, ∂y/∂b = −a/b² = −y/b. Division by zero gives ±∞ or NaN, as IEEE 754 says.</summary>
public readonly struct Div : IBinaryOp<Div>
{
    /// <inheritdoc/>
    public static string Name => "/";
    /// <inheritdoc/>
    public static T Apply<T>(T a, T b) where T : IFloatingPointIeee754<T> => a / b;
    /// <inheritdoc/>
    public static T DerivativeA<T>(T a, T b, T y) where T : IFloatingPointIeee754<T> => DerivativeAOf<PlainNumber<T>>(a, b, y).Value;
    /// <inheritdoc/>
    public static N DerivativeAOf<N>(N a, N b, N y) where N : IDifferentiable<N> => N.Constant(1) / b;
    /// <inheritdoc/>
    public static T DerivativeB<T>(T a, T b, T y) where T : IFloatingPointIeee754<T> => DerivativeBOf<PlainNumber<T>>(a, b, y).Value;
    /// <inheritdoc/>
    public static N DerivativeBOf<N>(N a, N b, N y) where N : IDifferentiable<N> => -y / b;
    /// <summary>
    /// ȧ/b rather than (1/b)·ȧ, and −y·(ḃ/b) rather than (−y/b)·ḃ: for b beyond about 1e154, y/b underflows to 0
    /// although the product is an ordinary number (log(x·1e200) has second derivative −1/x², reached through
    /// d(1/u) = −(1/u)·(u̇/u) with u = x·1e200).
    /// </summary>
    public static N TangentAOf<N>(N a, N b, N y, N tangent) where N : IDifferentiable<N> => tangent / b;
    /// <inheritdoc cref="TangentAOf"/>
    public static N TangentBOf<N>(N a, N b, N y, N tangent) where N : IDifferentiable<N> => -(y * (tangent / b));
    /// <inheritdoc/>
    public static string DerivativeAText(string a, string b, string y) => $"1/{b}";
    /// <inheritdoc/>
    public static string DerivativeBText(string a, string b, string y) => $"-{a}/{b}^2";
    /// <inheritdoc/>
    public static Domain DomainA => Domain.Everywhere;
    /// <inheritdoc/>
    public static Domain DomainB => new Domain(0.5, 3);
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, y);
}
