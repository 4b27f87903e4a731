namespace Nabla.Tensors;

/// <summary>
/// An n-dimensional array of whole numbers, row-major: class labels, token ids, and the indices of
/// <c>Gather</c>, <c>IndexSelect</c>, <c>ScatterAdd</c> and <c>Embedding</c> (PyTorch's <c>int64</c> tensors;
/// 32-bit here, since no tensor holds more than <see cref="Array.MaxLength"/> elements). It is never differentiated,
/// so it has no gradient and records nothing. The array is the tensor's own: <c>FromArray</c> copies.
/// </summary>
public sealed partial class IndexTensor
{
    private readonly int[] data;
    private readonly int[] shape;

    private IndexTensor(int[] data, int[] shape)
    {
        this.data = data;
        this.shape = shape;
    }

    /// <summary>A tensor over <paramref name="data"/> itself (not copied) for the engine's own arrays, which nobody else writes.</summary>
    internal static IndexTensor Wrap(int[] data, int[] shape) => new(data, shape);

    /// <summary>The elements, row-major (the tensor's own array: the engine reads it without a copy).</summary>
    internal int[] Data => data;

    /// <summary>The shape array itself (never written after construction).</summary>
    internal int[] ShapeArray => shape;

    /// <summary>A tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/> (row-major); an empty shape is a scalar.</summary>
    public static IndexTensor FromArray(ReadOnlySpan<int> values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int n = Shapes.ElementCount(shape);
        if (values.Length != n)
            throw new NablaException($"{values.Length} indices cannot fill shape {Shapes.Format(shape)} ({n} elements)");
        return new IndexTensor(values.ToArray(), (int[])shape.Clone());
    }

    /// <summary>A 1-D tensor holding a copy of <paramref name="values"/>.</summary>
    public static IndexTensor FromArray(params int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return FromArray(values, values.Length);
    }

    /// <summary>A tensor of <paramref name="shape"/> with every element 0 (a buffer a loader fills through <see cref="AsSpan"/>).</summary>
    public static IndexTensor Zeros(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new IndexTensor(new int[Shapes.ElementCount(shape)], (int[])shape.Clone());
    }

    /// <summary>[0, 1, …, n − 1], a 1-D tensor of length <paramref name="n"/> ≥ 0.</summary>
    public static IndexTensor Arange(int n)
    {
        if (n < 0) throw new NablaArgumentException(nameof(n), $"IndexTensor.Arange: n is {n}; it must be ≥ 0");
        var values = new int[n];
        for (int i = 0; i < n; i++) values[i] = i;
        return new IndexTensor(values, [n]);
    }

    /// <summary>The size of each dimension.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>The number of elements (the product of the shape).</summary>
    public int ElementCount => data.Length;

    /// <summary>The elements in row-major order, writable (a loader fills a batch in place).</summary>
    public Span<int> AsSpan() => data;

    /// <summary>The elements in row-major order, read-only.</summary>
    public ReadOnlySpan<int> AsReadOnlySpan() => data;

    /// <summary>A copy of the elements in row-major order.</summary>
    public int[] ToArray() => (int[])data.Clone();

    /// <summary>
    /// The same elements under <paramref name="newShape"/> (one dimension may be −1: inferred from the others); the array
    /// is shared. Throws naming both shapes when the element counts differ, more than one dimension is −1, or any other
    /// dimension is negative.
    /// </summary>
    public IndexTensor Reshape(params int[] newShape)
    {
        ArgumentNullException.ThrowIfNull(newShape);
        var resolved = (int[])newShape.Clone();
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < resolved.Length; d++)
        {
            if (resolved[d] == -1 && inferred < 0) { inferred = d; continue; }
            if (resolved[d] < 0)
                throw new NablaException($"cannot reshape indices of shape {Shapes.Format(shape)} into {Shapes.Format(newShape)}: "
                    + (resolved[d] == -1 ? "only one dimension may be −1" : $"dimension {d} is {resolved[d]}"));
            known = Math.Min(known * resolved[d], (long)Array.MaxLength + 1);
        }
        if (inferred >= 0)
        {
            if (known == 0 || data.Length % known != 0)
                throw new NablaException($"cannot reshape indices of shape {Shapes.Format(shape)} ({data.Length} elements) into {Shapes.Format(newShape)}");
            resolved[inferred] = (int)(data.Length / known);
        }
        else if (known != data.Length)
            throw new NablaException($"cannot reshape indices of shape {Shapes.Format(shape)} ({data.Length} elements) into {Shapes.Format(newShape)}");
        return new IndexTensor(data, resolved);
    }

    /// <summary>The element at <paramref name="index"/> (one index per dimension, negative counts from the end, as for <see cref="Tensor{T}"/>), bounds-checked.</summary>
    public int this[params int[] index]
    {
        get => data[Flat(index)];
        set => data[Flat(index)] = value;
    }

    private int Flat(int[] index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Length != shape.Length)
            throw new NablaException($"{index.Length} indices given for an index tensor of shape {Shapes.Format(shape)}");
        int flat = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if ((uint)i >= (uint)shape[d])
                throw new NablaException($"index {index[d]} is outside [-{shape[d]}, {shape[d]}) in dimension {d} of shape {Shapes.Format(shape)}");
            flat = flat * shape[d] + i;
        }
        return flat;
    }

    /// <summary>The values as a tensor of <typeparamref name="T"/> of the same shape (for arithmetic on labels).</summary>
    public Tensor<T> ToTensor<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var values = new T[data.Length];
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateChecked(data[i]);
        return new Tensor<T>(values, shape);
    }

    /// <summary>"IndexTensor(shape) [values…]" with at most 20 values shown.</summary>
    public override string ToString() =>
        $"IndexTensor{Shapes.Format(shape)} [{string.Join(", ", data.Take(20))}{(data.Length > 20 ? ", …" : "")}]";
}
