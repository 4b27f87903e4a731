using System.Numerics;
using Nabla.Ops;

namespace Nabla.Tensors;

/// <summary>
/// Element-wise ops that write their result into a tensor the caller owns (PyTorch's <c>out=</c>), so a loop that runs
/// the same ops over large tensors reuses one buffer instead of allocating a result per op. The conventions are
/// <see cref="MatMul(Tensor{T}, Tensor{T}, Tensor{T})"/>'s: <c>into</c> must be contiguous and have exactly the result's
/// shape (the inputs broadcast as in the allocating op), its version is bumped, nothing is recorded (so the inputs must not
/// require grad while recording), and <c>into</c> must not be a tensor a recorded op computed or, outside NoGrad, a leaf
/// that requires grad. <c>into</c> may be one of the inputs itself (same storage, offset and shape: an in-place update)
/// but not a different view of an input's storage. Values equal the allocating op's element for element.
/// </summary>
public sealed partial class Tensor<T>
{
    /// <summary>into = f(this) for the op struct <typeparamref name="TOp"/>; returns <paramref name="into"/>.</summary>
    public Tensor<T> Apply<TOp>(Tensor<T> into) where TOp : struct, IUnaryOp<TOp>
    {
        CheckInto(TOp.Name, into, ShapeArray, this, null);
        ElementwiseLoops.Map<T, TOp>(this, into.Storage.AsSpan(into.Offset, into.ElementCount));
        return into;
    }

    /// <summary>into = f(a, b) for the op struct <typeparamref name="TOp"/>, a and b broadcast; returns <paramref name="into"/>.</summary>
    public static Tensor<T> Apply<TOp>(Tensor<T> a, Tensor<T> b, Tensor<T> into) where TOp : struct, IBinaryOp<TOp>
    {
        var shape = Shapes.Broadcast(a.ShapeArray, b.ShapeArray, TOp.Name);
        CheckInto(TOp.Name, into, shape, a, b);
        ElementwiseLoops.Map<T, TOp>(a, b, shape, into.Storage.AsSpan(into.Offset, into.ElementCount));
        return into;
    }

    /// <summary>into = a + b (broadcast), the values of <c>a + b</c>; returns <paramref name="into"/>.</summary>
    public static Tensor<T> Add(Tensor<T> a, Tensor<T> b, Tensor<T> into) => Apply<Ops.Add>(a, b, into);
    /// <summary>into = a − b (broadcast), the values of <c>a - b</c>; returns <paramref name="into"/>.</summary>
    public static Tensor<T> Subtract(Tensor<T> a, Tensor<T> b, Tensor<T> into) => Apply<Sub>(a, b, into);
    /// <summary>into = a · b element-wise (broadcast), the values of <c>a * b</c>; returns <paramref name="into"/>.</summary>
    public static Tensor<T> Multiply(Tensor<T> a, Tensor<T> b, Tensor<T> into) => Apply<Mul>(a, b, into);
    /// <summary>into = a / b element-wise (broadcast), the values of <c>a / b</c>; returns <paramref name="into"/>.</summary>
    public static Tensor<T> Divide(Tensor<T> a, Tensor<T> b, Tensor<T> into) => Apply<Div>(a, b, into);
    /// <summary>into = max(this, other) element-wise (broadcast); returns <paramref name="into"/>.</summary>
    public Tensor<T> Maximum(Tensor<T> other, Tensor<T> into) => Apply<Ops.Maximum>(this, other, into);
    /// <summary>into = min(this, other) element-wise (broadcast); returns <paramref name="into"/>.</summary>
    public Tensor<T> Minimum(Tensor<T> other, Tensor<T> into) => Apply<Ops.Minimum>(this, other, into);
    /// <summary>into = this^exponent element-wise (broadcast); returns <paramref name="into"/>.</summary>
    public Tensor<T> Pow(Tensor<T> exponent, Tensor<T> into) => Apply<Ops.Pow>(this, exponent, into);

    /// <summary>into = −this; returns <paramref name="into"/>.</summary>
    public Tensor<T> Neg(Tensor<T> into) => Apply<Ops.Neg>(into);
    /// <summary>into = |this|; returns <paramref name="into"/>.</summary>
    public Tensor<T> Abs(Tensor<T> into) => Apply<Ops.Abs>(into);
    /// <summary>into = eˣ; returns <paramref name="into"/>.</summary>
    public Tensor<T> Exp(Tensor<T> into) => Apply<Ops.Exp>(into);
    /// <summary>into = ln x; returns <paramref name="into"/>.</summary>
    public Tensor<T> Log(Tensor<T> into) => Apply<Ops.Log>(into);
    /// <summary>into = √x; returns <paramref name="into"/>.</summary>
    public Tensor<T> Sqrt(Tensor<T> into) => Apply<Ops.Sqrt>(into);
    /// <summary>into = sin x; returns <paramref name="into"/>.</summary>
    public Tensor<T> Sin(Tensor<T> into) => Apply<Ops.Sin>(into);
    /// <summary>into = cos x; returns <paramref name="into"/>.</summary>
    public Tensor<T> Cos(Tensor<T> into) => Apply<Ops.Cos>(into);
    /// <summary>into = tan x; returns <paramref name="into"/>.</summary>
    public Tensor<T> Tan(Tensor<T> into) => Apply<Ops.Tan>(into);
    /// <summary>into = tanh x; returns <paramref name="into"/>.</summary>
    public Tensor<T> Tanh(Tensor<T> into) => Apply<Ops.Tanh>(into);
    /// <summary>into = 1/(1 + e⁻ˣ); returns <paramref name="into"/>.</summary>
    public Tensor<T> Sigmoid(Tensor<T> into) => Apply<Ops.Sigmoid>(into);
    /// <summary>into = max(x, 0); returns <paramref name="into"/>.</summary>
    public Tensor<T> Relu(Tensor<T> into) => Apply<Ops.Relu>(into);

    /// <summary>The checks every <c>into</c> op makes before writing, then the version bump (see the notes above).</summary>
    private static void CheckInto(string op, Tensor<T> into, int[] shape, Tensor<T> a, Tensor<T>? b)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.ThrowIfNotWritable(op, " into");
        if (b is null ? Recording(a) : Recording(a, b))
            throw new NablaException($"{op} into records no gradient, but its input requires grad; use the allocating op, or open a NoGrad scope");
        if (!into.ShapeArray.AsSpan().SequenceEqual(shape))
            throw new NablaException($"{op} into: the result has shape {Shapes.Format(shape)} but into has shape {Shapes.Format(into.ShapeArray)}");
        if (!into.IsContiguous) throw new NablaException($"{op} into needs a contiguous output (shape {Shapes.Format(into.ShapeArray)}); call Contiguous() first");
        var target = into.Storage;
        if ((ReferenceEquals(a.Storage, target) && !SameLayout(a, into)) || (b is not null && ReferenceEquals(b.Storage, target) && !SameLayout(b, into)))
            throw new NablaException($"{op} into cannot write into a different view of one of its inputs' storage (only into the input itself)");
        into.Store.Version++;
    }

    // An input that is exactly `into` (same offset, contiguous, same shape) is read element by element before that element
    // is written, which every kernel allows; any other overlap could read a value already overwritten.
    private static bool SameLayout(Tensor<T> x, Tensor<T> into) =>
        x.Offset == into.Offset && x.IsContiguous && x.ShapeArray.AsSpan().SequenceEqual(into.ShapeArray);
}
