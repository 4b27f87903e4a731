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

    public static Value operator +(Value a, Value b) => Apply<Add>(a, b);
    public static Value operator -(Value a, Value b) => Apply<Sub>(a, b);
    public static Value operator *(Value a, Value b) => Apply<Mul>(a, b);
    public static Value operator /(Value a, Value b) => Apply<Div>(a, b);
    public static Value operator -(Value a) => Apply<Neg>(a);

    /// <summary>aᵇ with a constant exponent: ∂/∂a = b·aᵇ⁻¹.</summary>
    public static Value Pow(Value a, double exponent) => Apply<Pow>(a, Constant(exponent));

    /// <summary>aᵇ with both sides differentiable: ∂/∂b = aᵇ·ln a.</summary>
    public static Value Pow(Value a, Value b) => Apply<Pow>(a, b);

    public static Value Sin(Value a) => Apply<Sin>(a);
    public static Value Cos(Value a) => Apply<Cos>(a);
    public static Value Tan(Value a) => Apply<Tan>(a);
    public static Value Exp(Value a) => Apply<Exp>(a);
    public static Value Log(Value a) => Apply<Log>(a);
    public static Value Sqrt(Value a) => Apply<Sqrt>(a);
    public static Value Tanh(Value a) => Apply<Tanh>(a);
    public static Value Sigmoid(Value a) => Apply<Sigmoid>(a);

    /// <summary>max(a, 0); its derivative at exactly 0 is 0, as in the notebooks.</summary>
    public static Value Relu(Value a) => Apply<Relu>(a);
    public static Value Abs(Value a) => Apply<Abs>(a);
    public static Value Max(Value a, Value b) => Apply<Maximum>(a, b);
    public static Value Min(Value a, Value b) => Apply<Minimum>(a, b);
}
