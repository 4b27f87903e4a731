using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = a · b; ∂y/∂a = b, ∂y/∂b = a.</summary>
public readonly struct Mul : IBinaryOp<Mul>
{
    public static string Name => "*";
    public static T Apply<T>(T a, T b) where T : IFloatingPointIeee754<T> => a * b;
    public static T DerivativeA<T>(T a, T b, T y) where T : IFloatingPointIeee754<T> => b;
    public static T DerivativeB<T>(T a, T b, T y) where T : IFloatingPointIeee754<T> => a;
    public static N DerivativeAOf<N>(N a, N b, N y) where N : IDifferentiable<N> => b;
    public static N DerivativeBOf<N>(N a, N b, N y) where N : IDifferentiable<N> => a;
    public static string DerivativeAText(string a, string b, string y) => b;
    public static string DerivativeBText(string a, string b, string y) => a;
    public static Domain DomainA => Domain.Everywhere;
    public static Domain DomainB => Domain.Everywhere;
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Multiply(a, b, y);
}
