using System.Numerics;
using Nabla.Functional;
using Nabla.Ops;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// y[i] = f(x[i]) for the op struct <typeparamref name="TOp"/> (its TensorPrimitives kernel when contiguous);
    /// backward adds f′(x[i], y[i])·dy[i] straight into x's gradient buffer through the op's span Backward.
    /// Every op in <see cref="OpTable.Unary"/> works here, registered or new.
    /// </summary>
    public Tensor<T> Apply<TOp>() where TOp : struct, IUnaryOp<TOp>
    {
        var y = Dense(ElementwiseLoops.Map<T, TOp>(this), ShapeArray, this);
        return Recording(this) ? RecordUnary<TOp>(this, y) : y;
    }

    // Kept apart from Apply so the closure's captured variables are allocated only when recording.
    private static Tensor<T> RecordUnary<TOp>(Tensor<T> x, Tensor<T> y) where TOp : struct, IUnaryOp<TOp> =>
        Record(y, TOp.Name, [x], saved: [x, y], (dy, sink) => TOp.Backward<T>(x.ContiguousSpan(), y.Storage, dy.ContiguousSpan(), sink.Buffer(0)),
            ts => ElementwiseDerivatives.UnaryTangent<T, TOp>(x, y, ts[0]!));

    /// <summary>
    /// y = f(a, b) for the op struct <typeparamref name="TOp"/>, with a and b broadcast by NumPy's rules; backward
    /// gives dy·∂f/∂a and dy·∂f/∂b over the broadcast shape, and the engine sums each back to its input's shape.
    /// </summary>
    public static Tensor<T> Apply<TOp>(Tensor<T> a, Tensor<T> b) where TOp : struct, IBinaryOp<TOp> => Binary<TOp>(a, b, TOp.Name, null, null);

    /// <summary>Which of a binary op's operands its derivative rule reads (saved for the version check).</summary>
    private enum Reads { Nothing, Operands, OperandsAndResult }

    // `tangent`, when given, is the op's own tangent rule t_y(a, b, y, t_a, t_b); otherwise the op structs' partials give it.
    private static Tensor<T> Binary<TOp>(Tensor<T> a, Tensor<T> b, string name, Func<Tensor<T>, Tensor<T>, Tensor<T>, BackwardRule<T>>? rule,
        Func<Tensor<T>, Tensor<T>, Tensor<T>, Tensor<T>?, Tensor<T>?, Tensor<T>?>? tangent, Reads reads = Reads.OperandsAndResult) where TOp : struct, IBinaryOp<TOp>
    {
        var shape = Shapes.Broadcast(a.ShapeArray, b.ShapeArray, name);
        var y = Dense(ElementwiseLoops.Map<T, TOp>(a, b, shape), shape, ReferenceEquals(shape, a.ShapeArray) ? a : b);
        return Recording(a, b) ? RecordBinary<TOp>(a, b, y, name, rule, tangent, reads) : y;
    }

    // Kept apart from Binary so the closure's captured variables are allocated only when recording.
    private static Tensor<T> RecordBinary<TOp>(Tensor<T> a, Tensor<T> b, Tensor<T> y, string name,
        Func<Tensor<T>, Tensor<T>, Tensor<T>, BackwardRule<T>>? rule, Func<Tensor<T>, Tensor<T>, Tensor<T>, Tensor<T>?, Tensor<T>?, Tensor<T>?>? tangent,
        Reads reads) where TOp : struct, IBinaryOp<TOp>
    {
        var shape = y.ShapeArray;
        ReadOnlySpan<Tensor<T>> saved = reads switch { Reads.Nothing => [], Reads.Operands => [a, b], _ => [a, b, y] };
        return Record(y, name, [a, b], saved, rule?.Invoke(a, b, y) ?? ((dy, sink) =>
        {
            if (sink.Needs(0)) sink.Add(0, new Tensor<T>(ElementwiseLoops.Partial<T, TOp>(a, b, y, dy, shape, wrtB: false), shape), owned: true);
            if (sink.Needs(1)) sink.Add(1, new Tensor<T>(ElementwiseLoops.Partial<T, TOp>(a, b, y, dy, shape, wrtB: true), shape), owned: true);
        }), ts => tangent is null ? ElementwiseDerivatives.BinaryTangent<T, TOp>(a, b, y, ts[0], ts[1]) : tangent(a, b, y, ts[0], ts[1]));
    }

    /// <summary>a + b, broadcast; ∂/∂a = ∂/∂b = 1, so dy passes through to both.</summary>
    public static Tensor<T> operator +(Tensor<T> a, Tensor<T> b) => Binary<Add>(a, b, "add", (a, b, y) => (dy, sink) =>
    {
        if (sink.Needs(0)) sink.Add(0, dy, owned: false);
        if (sink.Needs(1)) sink.Add(1, dy, owned: false);
    }, static (a, b, y, ta, tb) => Tangents.Plus(ta, tb), Reads.Nothing);

    /// <summary>a − b, broadcast; ∂/∂a = 1, ∂/∂b = −1.</summary>
    public static Tensor<T> operator -(Tensor<T> a, Tensor<T> b) => Binary<Sub>(a, b, "sub", (a, b, y) => (dy, sink) =>
    {
        if (sink.Needs(0)) sink.Add(0, dy, owned: false);
        if (sink.Needs(1)) sink.Add(1, new Tensor<T>(ElementwiseLoops.Map<T, Neg>(dy), dy.ShapeArray), owned: true);
    }, static (a, b, y, ta, tb) => Tangents.Minus(ta, tb), Reads.Nothing);

    /// <summary>a · b element-wise, broadcast; ∂/∂a = b, ∂/∂b = a.</summary>
    public static Tensor<T> operator *(Tensor<T> a, Tensor<T> b) => Binary<Mul>(a, b, "mul", (a, b, y) => (dy, sink) =>
    {
        if (sink.Needs(0)) sink.Add(0, MulNoGrad(dy, b), owned: true);
        if (sink.Needs(1)) sink.Add(1, MulNoGrad(dy, a), owned: true);
    }, static (a, b, y, ta, tb) => Tangents.Plus(ta is null ? null : ta * b, tb is null ? null : a * tb), Reads.Operands);

    /// <summary>a / b element-wise, broadcast; ∂/∂a = 1/b, ∂/∂b = −y/b.</summary>
    public static Tensor<T> operator /(Tensor<T> a, Tensor<T> b) => Binary<Div>(a, b, "div", (a, b, y) => (dy, sink) =>
    {
        var shape = y.ShapeArray;
        if (sink.Needs(0)) sink.Add(0, new Tensor<T>(ElementwiseLoops.Map<T, Div>(dy, b, shape), shape), owned: true);
        if (sink.Needs(1)) sink.Add(1, new Tensor<T>(ElementwiseLoops.Partial<T, Div>(a, b, y, dy, shape, wrtB: true), shape), owned: true);
    }, static (a, b, y, ta, tb) => Tangents.Minus(ta, tb is null ? null : y * tb) is { } t ? t / b : null);

    private static Tensor<T> MulNoGrad(Tensor<T> a, Tensor<T> b)
    {
        var shape = Shapes.Broadcast(a.ShapeArray, b.ShapeArray, "mul");
        return Dense(ElementwiseLoops.Map<T, Mul>(a, b, shape), shape, ReferenceEquals(shape, a.ShapeArray) ? a : b);
    }

    /// <summary>a + b for every element of a; ∂/∂a = 1.</summary>
    public static Tensor<T> operator +(Tensor<T> a, T b) => WithScalar<Add>(b, a, scalarFirst: false) ?? a + Scalar(b);
    /// <summary>a + b for every element of b; ∂/∂b = 1.</summary>
    public static Tensor<T> operator +(T a, Tensor<T> b) => WithScalar<Add>(a, b, scalarFirst: true) ?? Scalar(a) + b;
    /// <summary>a − b for every element of a; ∂/∂a = 1.</summary>
    public static Tensor<T> operator -(Tensor<T> a, T b) => WithScalar<Sub>(b, a, scalarFirst: false) ?? a - Scalar(b);
    /// <summary>a − b for every element of b; ∂/∂b = −1.</summary>
    public static Tensor<T> operator -(T a, Tensor<T> b) => WithScalar<Sub>(a, b, scalarFirst: true) ?? Scalar(a) - b;
    /// <summary>a · b for every element of a; ∂/∂a = b.</summary>
    public static Tensor<T> operator *(Tensor<T> a, T b) => WithScalar<Mul>(b, a, scalarFirst: false) ?? a * Scalar(b);
    /// <summary>a · b for every element of b; ∂/∂b = a.</summary>
    public static Tensor<T> operator *(T a, Tensor<T> b) => WithScalar<Mul>(a, b, scalarFirst: true) ?? Scalar(a) * b;
    /// <summary>a / b for every element of a; ∂/∂a = 1/b.</summary>
    public static Tensor<T> operator /(Tensor<T> a, T b) => WithScalar<Div>(b, a, scalarFirst: false) ?? a / Scalar(b);
    /// <summary>a / b for every element of b; ∂/∂b = −y/b.</summary>
    public static Tensor<T> operator /(T a, Tensor<T> b) => WithScalar<Div>(a, b, scalarFirst: true) ?? Scalar(a) / b;

    /// <summary>
    /// f(s, x) or f(x, s) for a small contiguous x that records nothing, without making a tensor for s; null when the
    /// operator must take the general path (recording, strided or long x). The values are the general path's.
    /// </summary>
    private static Tensor<T>? WithScalar<TOp>(T s, Tensor<T> x, bool scalarFirst) where TOp : struct, IBinaryOp<TOp>
    {
        if (x.ElementCount > ElementwiseLoops.ScalarRowLimit || !x.IsContiguous || Recording(x)) return null;
        var y = BufferPool<T>.Rent(x.ElementCount);
        return ElementwiseLoops.MapScalar<T, TOp>(s, x, scalarFirst, y) ? Dense(y, x.ShapeArray, x) : null;
    }

    /// <summary>−x element-wise.</summary>
    public static Tensor<T> operator -(Tensor<T> x) => x.Neg();

    /// <summary>aᵇ element-wise, broadcast; ∂/∂a = b·aᵇ⁻¹, ∂/∂b = aᵇ·ln a (see <see cref="Ops.Pow"/>).</summary>
    public Tensor<T> Pow(Tensor<T> exponent) => Binary<Ops.Pow>(this, exponent, "pow", null, null);

    /// <summary>xᵖ element-wise for a constant exponent p.</summary>
    public Tensor<T> Pow(T exponent) => Pow(Scalar(exponent));

    /// <summary>max(a, b) element-wise, broadcast; the gradient goes to the larger input and is split evenly on ties.</summary>
    public Tensor<T> Maximum(Tensor<T> other) => Binary<Ops.Maximum>(this, other, "maximum", null, null);

    /// <summary>min(a, b) element-wise, broadcast; the gradient goes to the smaller input and is split evenly on ties.</summary>
    public Tensor<T> Minimum(Tensor<T> other) => Binary<Ops.Minimum>(this, other, "minimum", null, null);

    /// <summary>min(max(x, lo), hi) element-wise: gradient 1 strictly inside [lo, hi], 0 outside (½ exactly at a bound).</summary>
    public Tensor<T> Clamp(T min, T max) => Maximum(Scalar(min)).Minimum(Scalar(max));

    /// <summary>−x; dy/dx = −1.</summary>
    public Tensor<T> Neg() => Apply<Ops.Neg>();
    /// <summary>|x|; dy/dx = sign(x), 0 at 0.</summary>
    public Tensor<T> Abs() => Apply<Ops.Abs>();
    /// <summary>eˣ; dy/dx = y.</summary>
    public Tensor<T> Exp() => Apply<Ops.Exp>();
    /// <summary>ln x; dy/dx = 1/x.</summary>
    public Tensor<T> Log() => Apply<Ops.Log>();
    /// <summary>√x; dy/dx = 1/(2y).</summary>
    public Tensor<T> Sqrt() => Apply<Ops.Sqrt>();
    /// <summary>sin x; dy/dx = cos x.</summary>
    public Tensor<T> Sin() => Apply<Ops.Sin>();
    /// <summary>cos x; dy/dx = −sin x.</summary>
    public Tensor<T> Cos() => Apply<Ops.Cos>();
    /// <summary>tan x; dy/dx = 1 + y².</summary>
    public Tensor<T> Tan() => Apply<Ops.Tan>();
    /// <summary>tanh x; dy/dx = 1 − y².</summary>
    public Tensor<T> Tanh() => Apply<Ops.Tanh>();
    /// <summary>1/(1 + e⁻ˣ); dy/dx = y(1 − y).</summary>
    public Tensor<T> Sigmoid() => Apply<Ops.Sigmoid>();
    /// <summary>max(x, 0); dy/dx = 1 for x &gt; 0, else 0.</summary>
    public Tensor<T> Relu() => Apply<Ops.Relu>();

    /// <summary>
    /// y[i] = cond[i] ≠ 0 ? a[i] : b[i], all three broadcast together; the gradient flows to a where the condition
    /// holds and to b elsewhere (the condition gets none).
    /// </summary>
    public static Tensor<T> Where(Tensor<T> condition, Tensor<T> a, Tensor<T> b)
    {
        var shape = Shapes.Broadcast(Shapes.Broadcast(condition.ShapeArray, a.ShapeArray, "where"), b.ShapeArray, "where");
        var y = new Tensor<T>(ElementwiseLoops.Where(condition, a, b, shape), shape);
        if (!Recording(a, b)) return y;
        var zero = Scalar(T.Zero);
        return Record(y, "where", [a, b], saved: [condition], (dy, sink) =>
        {
            if (sink.Needs(0)) sink.Add(0, new Tensor<T>(ElementwiseLoops.Where(condition, dy, zero, shape), shape), owned: true);
            if (sink.Needs(1)) sink.Add(1, new Tensor<T>(ElementwiseLoops.Where(condition, zero, dy, shape), shape), owned: true);
        }, ts => Where(condition, ts[0] ?? zero, ts[1] ?? zero));
    }
}
