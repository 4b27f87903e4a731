using Nabla.Ops;

namespace Nabla.Scalars;

// The operators and functions. Each builds one node from the op struct that defines both the
// forward function and its derivative (src/Nabla.Core/Ops), so nothing here restates a rule.
public sealed partial class Value
{
    /// <summary>Applies the unary op <typeparamref name="TOp"/>: a node y = f(a).</summary>
    public static Value Apply<TOp>(Value a) where TOp : struct, IUnaryOp<TOp> =>
        new(TOp.Apply(a.Data), UnaryOpInfo<TOp>.Instance, a);

    /// <summary>Applies the binary op <typeparamref name="TOp"/>: a node y = f(a, b).</summary>
    public static Value Apply<TOp>(Value a, Value b) where TOp : struct, IBinaryOp<TOp> =>
        new(TOp.Apply(a.Data, b.Data), BinaryOpInfo<TOp>.Instance, a, b);

    /// <summary>Applies a unary op found at run time (the formula language uses this).</summary>
    public static Value Apply(UnaryOpInfo op, Value a) => new(op.Apply(a.Data), op, a);

    /// <summary>Applies a binary op found at run time.</summary>
    public static Value Apply(BinaryOpInfo op, Value a, Value b) => new(op.Apply(a.Data, b.Data), op, a, b);

    /// <summary>A plain number becomes a constant node.</summary>
    public static implicit operator Value(double data) => Constant(data);

    /// <summary>a + b; ∂/∂a = 1, ∂/∂b = 1.</summary>
    public static Value operator +(Value a, Value b) => Apply<Add>(a, b);
    /// <summary>a − b; ∂/∂a = 1, ∂/∂b = −1.</summary>
    public static Value operator -(Value a, Value b) => Apply<Sub>(a, b);
    /// <summary>a · b; ∂/∂a = b, ∂/∂b = a.</summary>
    public static Value operator *(Value a, Value b) => Apply<Mul>(a, b);
    /// <summary>a / b; ∂/∂a = 1/b, ∂/∂b = −a/b².</summary>
    public static Value operator /(Value a, Value b) => Apply<Div>(a, b);
    /// <summary>−a; ∂/∂a = −1.</summary>
    public static Value operator -(Value a) => Apply<Neg>(a);

    /// <summary>aᵇ with a constant exponent: ∂/∂a = b·aᵇ⁻¹.</summary>
    public static Value Pow(Value a, double exponent) => Apply<Pow>(a, Constant(exponent));

    /// <summary>aᵇ with both sides differentiable: ∂/∂b = aᵇ·ln a.</summary>
    public static Value Pow(Value a, Value b) => Apply<Pow>(a, b);

    /// <summary>sin a; ∂/∂a = cos a.</summary>
    public static Value Sin(Value a) => Apply<Sin>(a);
    /// <summary>cos a; ∂/∂a = −sin a.</summary>
    public static Value Cos(Value a) => Apply<Cos>(a);
    /// <summary>tan a; ∂/∂a = 1 + tan² a.</summary>
    public static Value Tan(Value a) => Apply<Tan>(a);
    /// <summary>eᵃ; ∂/∂a = eᵃ.</summary>
    public static Value Exp(Value a) => Apply<Exp>(a);
    /// <summary>ln a; ∂/∂a = 1/a.</summary>
    public static Value Log(Value a) => Apply<Log>(a);
    /// <summary>√a; ∂/∂a = 1/(2√a).</summary>
    public static Value Sqrt(Value a) => Apply<Sqrt>(a);
    /// <summary>y = tanh a; ∂y/∂a = 1 − y².</summary>
    public static Value Tanh(Value a) => Apply<Tanh>(a);
    /// <summary>y = σ(a) = 1/(1 + e⁻ᵃ); ∂y/∂a = y(1 − y).</summary>
    public static Value Sigmoid(Value a) => Apply<Sigmoid>(a);

    /// <summary>max(a, 0); its derivative at exactly 0 is 0, as in the notebooks.</summary>
    public static Value Relu(Value a) => Apply<Relu>(a);
    /// <summary>|a|; ∂/∂a = sign(a), and 0 at exactly 0.</summary>
    public static Value Abs(Value a) => Apply<Abs>(a);
    /// <summary>max(a, b); the gradient goes to the larger input.</summary>
    public static Value Max(Value a, Value b) => Apply<Maximum>(a, b);
    /// <summary>min(a, b); the gradient goes to the smaller input.</summary>
    public static Value Min(Value a, Value b) => Apply<Minimum>(a, b);
}
