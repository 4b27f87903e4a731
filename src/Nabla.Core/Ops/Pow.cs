using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>
/// y = aᵇ; ∂y/∂a = b·aᵇ⁻¹, ∂y/∂b = y·ln(a). As in PyTorch, ∂y/∂a is 0 where b = 0 (aᵇ is the constant 1 there, so
/// 0·aᵇ⁻¹ must not become 0·∞ = NaN at a = 0), and ∂y/∂b is 0 for a = 0 with b ≥ 0; ∂y/∂b is NaN for a &lt; 0 (aᵇ is
/// not differentiable in b there).
/// </summary>
public readonly struct Pow : IBinaryOp<Pow>
{
    /// <inheritdoc/>
    public static string Name => "pow";
    /// <inheritdoc/>
    public static T Apply<T>(T a, T b) where T : IFloatingPointIeee754<T> => T.Pow(a, b);
    /// <inheritdoc/>
    public static T DerivativeA<T>(T a, T b, T y) where T : IFloatingPointIeee754<T> => DerivativeAOf<PlainNumber<T>>(a, b, y).Value;
    // Where b = 0 and a^(b−1) is finite, b·a^(b−1) is already (±)0 and keeps b's own perturbation, so ∂²y/∂a∂b = a⁻¹
    // there is right; the constant 0 is needed only where a^(b−1) is not finite (a = 0, NaN, or 1/a beyond T's range).
    /// <inheritdoc/>
    public static N DerivativeAOf<N>(N a, N b, N y) where N : IDifferentiable<N>
    {
        var power = N.Apply<Pow>(a, b - N.Constant(1));
        return b.Real == 0 && !double.IsFinite(power.Real) ? N.Constant(0) : b * power;
    }
    /// <inheritdoc/>
    public static T DerivativeB<T>(T a, T b, T y) where T : IFloatingPointIeee754<T> => DerivativeBOf<PlainNumber<T>>(a, b, y).Value;
    /// <inheritdoc/>
    public static N DerivativeBOf<N>(N a, N b, N y) where N : IDifferentiable<N> => a.Real == 0 && b.Real >= 0 ? N.Constant(0) : y * N.Apply<Log>(a);
    /// <inheritdoc/>
    public static string DerivativeAText(string a, string b, string y) => $"{b}·{a}^({b} - 1)";
    /// <inheritdoc/>
    public static string DerivativeBText(string a, string b, string y) => $"{a}^{b}·ln({a})";
    /// <inheritdoc/>
    public static Domain DomainA => new Domain(0.5, 3);
    /// <inheritdoc/>
    public static Domain DomainB => new Domain(-2, 2);
    /// <inheritdoc/>
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Pow(a, b, y);
}
