using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = max(a, b); the gradient goes to the larger input, and is split evenly on a tie (as PyTorch does). NaN in, NaN out.</summary>
public readonly struct Maximum : IBinaryOp<Maximum>
{
    /// <inheritdoc/>
    public static string Name => "maximum";
    /// <inheritdoc/>
    public static T Apply<T>(T a, T b) where T : IFloatingPointIeee754<T> => T.IsNaN(a) || T.IsNaN(b) ? a + b : (a >= b ? a : b);
    /// <inheritdoc/>
    public static T DerivativeA<T>(T a, T b, T y) where T : IFloatingPointIeee754<T> => DerivativeAOf<PlainNumber<T>>(a, b, y).Value;
    /// <inheritdoc/>
    public static N DerivativeAOf<N>(N a, N b, N y) where N : IDifferentiable<N> => N.Constant(a.Real > b.Real ? 1 : (a.Real < b.Real ? 0 : 0.5));
    /// <inheritdoc/>
    public static T DerivativeB<T>(T a, T b, T y) where T : IFloatingPointIeee754<T> => DerivativeBOf<PlainNumber<T>>(a, b, y).Value;
    /// <inheritdoc/>
    public static N DerivativeBOf<N>(N a, N b, N y) where N : IDifferentiable<N> => N.Constant(a.Real < b.Real ? 1 : (a.Real > b.Real ? 0 : 0.5));
    /// <inheritdoc/>
    public static string DerivativeAText(string a, string b, string y) => $"({a} >= {b} ? 1 : 0)";
    /// <inheritdoc/>
    public static string DerivativeBText(string a, string b, string y) => $"({b} >= {a} ? 1 : 0)";
    /// <inheritdoc/>
    public static Domain DomainA => Domain.Everywhere;
    /// <inheritdoc/>
    public static Domain DomainB => Domain.Everywhere;

}
