using System.Numerics;
using System.Text;

namespace Nabla.Tensors;

/// <summary>
/// An n-dimensional array of <c>float</c> or <c>double</c> that records the operations applied to it so
/// <see cref="Backward(bool)"/> can compute gradients by reverse-mode differentiation.
/// Storage is a flat array read through an offset, a shape and strides (row-major when contiguous), so
/// reshape, transpose, slicing and broadcasting are views that share storage and copy nothing.
/// </summary>
public sealed partial class Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The storage object (version counter, pool and scope state) is made on first need: most op results are read by the
    // next op and dropped, and never need one. `data` is its array, cached for the kernels (Storage reads it).
    private TensorStorage<T>? store;
    private readonly T[] data;
    internal readonly int Offset;
    internal readonly int[] ShapeArray;
    internal readonly int[] StridesArray;

    /// <summary>
    /// Wraps <paramref name="data"/> (not copied: the tensor reads and writes this array) as a contiguous
    /// row-major tensor of <paramref name="shape"/>. This is the hook random generators and loaders use.
    /// As with PyTorch's <c>torch.from_numpy</c>, the caller's array and the tensor are the same memory: writing
    /// <paramref name="data"/> directly changes the tensor, and that write is the one the version check cannot see,
    /// so a graph that saved this tensor would then compute its gradient from the new values. Write through the tensor
    /// (indexer, Fill, CopyFrom, AsSpan) instead, or pass a copy (<see cref="FromArray(T[], int[])"/> copies).
    /// </summary>
    public Tensor(T[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = Shapes.ElementCount(shape);
        if (data.Length != n)
            throw new NablaException($"{data.Length} values cannot fill shape {Shapes.Format(shape)} ({n} elements)");
        this.data = data;
        ElementCount = n;
        ShapeArray = (int[])shape.Clone();
        StridesArray = Shapes.RowMajorStrides(shape);
        IsContiguous = true;
    }

    /// <summary>
    /// Wraps a fresh op result: <paramref name="data"/> holds exactly the elements of <paramref name="shape"/> in row-major
    /// order and <paramref name="strides"/> are its row-major strides. Neither array is copied, so both may be shared with
    /// other tensors (shape and stride arrays are never written after construction).
    /// </summary>
    internal Tensor(T[] data, int[] shape, int[] strides)
    {
        this.data = data;
        ShapeArray = shape;
        StridesArray = strides;
        ElementCount = data.Length;
        IsContiguous = true;
    }

    /// <summary>
    /// A contiguous tensor over the fresh op result <paramref name="data"/> of <paramref name="shape"/>, sharing the shape
    /// array and, when <paramref name="like"/> has this very shape array and row-major strides, its stride array too.
    /// </summary>
    internal static Tensor<T> Dense(T[] data, int[] shape, Tensor<T>? like)
    {
        var strides = like is not null && ReferenceEquals(like.ShapeArray, shape) && like.HasRowMajorStrides()
            ? like.StridesArray : Shapes.RowMajorStrides(shape);
        var y = new Tensor<T>(data, shape, strides);
        if (TensorScope.Current is not null) TensorScope.Adopt(y.Store);   // an op result: the open scope takes it back when it ends
        return y;
    }

    /// <summary>The shared storage (array + version counter), made on first use and then shared by every view and Detach().</summary>
    internal TensorStorage<T> Store => store ?? CreateStore();

    private TensorStorage<T> CreateStore()
    {
        Interlocked.CompareExchange(ref store, new TensorStorage<T>(data), null);
        return store;
    }

    /// <summary>True when this tensor's scope released its storage (no storage object yet means never scoped, never released).</summary>
    internal bool IsReleased => store is { Released: true };

    /// <summary>True once the storage object exists (a tensor without one has no pool or scope state).</summary>
    internal bool HasStore => store is not null;

    /// <summary>
    /// The elements' array, read through <see cref="Offset"/> and <see cref="StridesArray"/>. Every kernel reads storage
    /// here, so this is the one place that refuses a tensor whose <see cref="TensorScope"/> released its memory: one load
    /// and a predictable branch per op operand.
    /// </summary>
    internal T[] Storage
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get
        {
            if (store is { Released: true }) ThrowReleased(ShapeArray);
            return data;
        }
    }

    /// <summary>Throws the error every use of a tensor released by its scope gives.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal static void ThrowReleased(int[] shape) =>
        throw new NablaException($"this tensor (shape {Shapes.Format(shape)}) was released when its TensorScope ended, and its memory "
            + "may now hold other values; to use it after the scope, keep it before the scope ends (scope.Keep(t)), or Clone() it inside the scope");

    private bool HasRowMajorStrides()
    {
        if (!IsContiguous) return false;
        int s = 1;
        for (int i = ShapeArray.Length - 1; i >= 0; i--)
        {
            if (StridesArray[i] != s) return false;
            s *= Math.Max(ShapeArray[i], 1);
        }
        return true;
    }

    /// <summary>A view of <paramref name="store"/> (shared, with its version counter) through offset, shape and strides.</summary>
    internal Tensor(TensorStorage<T> store, int offset, int[] shape, int[] strides)
    {
        if (store.Released) ThrowReleased(shape);
        this.store = store;
        data = store.Data;
        Offset = offset;
        ShapeArray = shape;
        StridesArray = strides;
        ElementCount = Shapes.ElementCount(shape);
        IsContiguous = ComputeContiguous(shape, strides);
    }

    /// <summary>The dimensions, outermost first; empty for a 0-d tensor.</summary>
    public IReadOnlyList<int> Shape => ShapeArray;

    /// <summary>How many storage elements one step along each dimension moves (0 on broadcast dimensions).</summary>
    public IReadOnlyList<int> Strides => StridesArray;

    /// <summary>The number of dimensions.</summary>
    public int Rank => ShapeArray.Length;

    /// <summary>The number of elements.</summary>
    public int ElementCount { get; }

    /// <summary>True when the elements lie in storage in row-major order without gaps, so kernels read one span.</summary>
    public bool IsContiguous { get; }

    /// <summary>The element at <paramref name="index"/> (one index per dimension, negative counts from the end).</summary>
    public T this[params int[] index]
    {
        get => Storage[StorageIndex(index)];
        set
        {
            Storage[StorageIndex(index)] = value;
            Store.Version++;
        }
    }

    /// <summary>The single element of a tensor with one element; throws otherwise.</summary>
    public T ToScalar() => ElementCount == 1
        ? Storage[Offset]
        : throw new NablaException($"ToScalar needs a tensor with one element, got shape {Shapes.Format(ShapeArray)}");

    /// <summary>A new array with the elements in row-major order.</summary>
    public T[] ToArray() => ContiguousSpan().ToArray();

    /// <summary>
    /// The elements of a contiguous tensor as a writable span over its storage; throws when not contiguous. Taking the
    /// span counts as a write (it bumps the storage version), so a graph that saved this tensor refuses to run backward
    /// afterwards; use <see cref="AsReadOnlySpan"/> to read.
    /// </summary>
    public Span<T> AsSpan()
    {
        ThrowIfNotContiguous("AsSpan");
        Store.Version++;
        return Storage.AsSpan(Offset, ElementCount);
    }

    /// <summary>The elements of a contiguous tensor as a read-only span over its storage (no copy); throws when not contiguous.</summary>
    public ReadOnlySpan<T> AsReadOnlySpan()
    {
        ThrowIfNotContiguous("AsReadOnlySpan");
        return Storage.AsSpan(Offset, ElementCount);
    }

    private void ThrowIfNotContiguous(string member)
    {
        if (!IsContiguous)
            throw new NablaException($"{member} needs a contiguous tensor; call Contiguous() first (shape {Shapes.Format(ShapeArray)})");
    }

    /// <summary>Sets every element to <paramref name="value"/> in place (not recorded for gradients).</summary>
    public void Fill(T value)
    {
        Store.Version++;
        if (IsContiguous) { Storage.AsSpan(Offset, ElementCount).Fill(value); return; }
        ElementwiseLoops.Accumulate(Storage, Offset, StridesArray, Full(value).ExpandNoGrad(ShapeArray), overwrite: true);
    }

    /// <summary>Copies <paramref name="source"/> (broadcast to this shape) into this tensor in place (not recorded).</summary>
    public void CopyFrom(Tensor<T> source)
    {
        if (!Shapes.BroadcastsTo(source.ShapeArray, ShapeArray))
            throw new NablaException($"cannot broadcast shapes {Shapes.Format(source.ShapeArray)} and {Shapes.Format(ShapeArray)} in copy");
        Store.Version++;
        ElementwiseLoops.Accumulate(Storage, Offset, StridesArray, source.ExpandNoGrad(ShapeArray), overwrite: true);
    }

    /// <summary>A copy converted element by element to <typeparamref name="TTo"/> (e.g. double to float); not recorded.</summary>
    public Tensor<TTo> To<TTo>() where TTo : unmanaged, IFloatingPointIeee754<TTo>
    {
        var source = ContiguousSpan();
        var data = new TTo[source.Length];
        for (int i = 0; i < data.Length; i++) data[i] = TTo.CreateTruncating(source[i]);
        return new Tensor<TTo>(data, ShapeArray);
    }

    /// <summary>The elements in row-major order: the storage itself when contiguous, else a copy.</summary>
    internal ReadOnlySpan<T> ContiguousSpan() =>
        IsContiguous ? Storage.AsSpan(Offset, ElementCount) : ElementwiseLoops.Gather(this);

    private int StorageIndex(int[] index)
    {
        if (index.Length != Rank)
            throw new NablaException($"{index.Length} indices given for a tensor of shape {Shapes.Format(ShapeArray)}");
        int p = Offset;
        for (int d = 0; d < index.Length; d++)
        {
            int i = index[d] < 0 ? index[d] + ShapeArray[d] : index[d];
            if (i < 0 || i >= ShapeArray[d])
                throw new NablaException($"index {index[d]} is out of range for dimension {d} of shape {Shapes.Format(ShapeArray)}");
            p += i * StridesArray[d];
        }
        return p;
    }

    private static bool ComputeContiguous(int[] shape, int[] strides)
    {
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /// <summary>NumPy-like text: <c>tensor([[1, 2], [3, 4]], shape=(2, 2))</c>, with a grad marker when recorded.</summary>
    public override string ToString()
    {
        var data = ContiguousSpan();
        var sb = new StringBuilder("tensor(");
        int pos = 0;
        Append(sb, data, 0, ref pos);
        sb.Append(", shape=").Append(Shapes.Format(ShapeArray));
        if (Node is not null) sb.Append(", grad_fn=").Append(Node.Name);
        else if (RequiresGrad) sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private void Append(StringBuilder sb, ReadOnlySpan<T> data, int dim, ref int pos)
    {
        if (dim == Rank) { sb.Append(data[pos++].ToString("G6", null)); return; }
        sb.Append('[');
        for (int i = 0; i < ShapeArray[dim]; i++)
        {
            if (i > 0) sb.Append(", ");
            Append(sb, data, dim + 1, ref pos);
        }
        sb.Append(']');
    }
}
