using System.Numerics;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The tensors joined along the existing dimension <paramref name="dim"/> (PyTorch's <c>torch.cat</c>; negative counts
    /// from the end): every tensor has the same rank and the same size in every other dimension, and the result's size in
    /// <paramref name="dim"/> is the sum of theirs (PyTorch's legacy pass for 1-D empty tensors of any other rank is not
    /// made). The result is a new contiguous tensor. Backward hands each input the
    /// part of the gradient that lies over its elements; a tensor listed twice gets both parts.
    /// </summary>
    public static Tensor<T> Cat(IReadOnlyList<Tensor<T>> tensors, int dim = 0) => Join(tensors, dim, stack: false);

    /// <summary>
    /// The tensors, all of one shape, joined along a new dimension inserted at <paramref name="dim"/> (PyTorch's
    /// <c>torch.stack</c>; −1 appends it): result[…, i, …] = tensors[i]. Backward hands each input its slice of the gradient.
    /// </summary>
    public static Tensor<T> Stack(IReadOnlyList<Tensor<T>> tensors, int dim = 0) => Join(tensors, dim, stack: true);

    /// <summary>
    /// Views of consecutive pieces of <paramref name="splitSize"/> elements along <paramref name="dim"/> (PyTorch's
    /// <c>split</c> with an int): the last piece is shorter when the size does not divide the dimension. A dimension of size
    /// 0 gives one empty piece. The pieces share this tensor's storage; each piece's gradient flows into its part of x.
    /// </summary>
    public Tensor<T>[] Split(int splitSize, int dim = 0)
    {
        int d = Shapes.NormalizeAxis(dim, Rank, "Split");
        int n = ShapeArray[d];
        if (splitSize < 0 || (splitSize == 0 && n != 0))
            throw new NablaArgumentException(nameof(splitSize), $"Split: splitSize is {splitSize}; it must be positive "
                + $"(0 only for a dimension of size 0), and dimension {dim} of shape {Shapes.Format(ShapeArray)} has size {n}");
        int count = n == 0 ? 1 : (n - 1) / splitSize + 1;
        var pieces = new Tensor<T>[count];
        var strides = Shapes.RowMajorStrides(ShapeArray);
        for (int k = 0; k < count; k++)
        {
            int start = k * splitSize;
            pieces[k] = Piece(d, start, Math.Min(splitSize, n - start), strides);
        }
        return pieces;
    }

    /// <summary>
    /// Views of consecutive pieces along <paramref name="dim"/> with the given <paramref name="sizes"/> (PyTorch's
    /// <c>split</c> with a list), which must be ≥ 0 and sum to the dimension's size. Each piece's gradient flows into its part of x.
    /// </summary>
    public Tensor<T>[] Split(int[] sizes, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        int d = Shapes.NormalizeAxis(dim, Rank, "Split");
        int n = ShapeArray[d];
        long sum = 0;
        foreach (int s in sizes)
        {
            if (s < 0) throw new NablaArgumentException(nameof(sizes), $"Split: sizes ({string.Join(", ", sizes)}) include {s}; every size must be ≥ 0");
            sum += s;
        }
        if (sum != n)
            throw new NablaArgumentException(nameof(sizes), $"Split: sizes ({string.Join(", ", sizes)}) sum to {sum}, but dimension {dim} "
                + $"of shape {Shapes.Format(ShapeArray)} has size {n}; they must sum to it");
        var pieces = new Tensor<T>[sizes.Length];
        var strides = Shapes.RowMajorStrides(ShapeArray);
        for (int k = 0, start = 0; k < sizes.Length; start += sizes[k], k++) pieces[k] = Piece(d, start, sizes[k], strides);
        return pieces;
    }

    /// <summary>
    /// At most <paramref name="chunks"/> views along <paramref name="dim"/> (PyTorch's <c>chunk</c>): pieces of
    /// ⌈size / chunks⌉ elements, the last shorter, so fewer pieces come back when that size covers the dimension sooner
    /// (6 in 4 chunks gives 2, 2, 2). A dimension of size 0 gives <paramref name="chunks"/> empty pieces.
    /// </summary>
    public Tensor<T>[] Chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0) throw new NablaArgumentException(nameof(chunks), $"Chunk: chunks is {chunks}; it must be positive");
        int d = Shapes.NormalizeAxis(dim, Rank, "Chunk");
        int n = ShapeArray[d];
        if (n > 0) return Split((n - 1) / chunks + 1, d);
        // One empty tensor per chunk: int.MaxValue of them would exhaust memory rather than fail.
        if (chunks > Limits.MaxEmptyChunks)
            throw new NablaArgumentException(nameof(chunks), $"Chunk: chunks is {chunks:N0}; a dimension of size 0 gives that many empty pieces, and the limit is {Limits.MaxEmptyChunks:N0} (see docs/limits.md)");
        var pieces = new Tensor<T>[chunks];
        var strides = Shapes.RowMajorStrides(ShapeArray);
        for (int k = 0; k < chunks; k++) pieces[k] = Piece(d, 0, 0, strides);
        return pieces;
    }

    /// <summary>
    /// The view of elements [start, start + length) along <paramref name="d"/>, recorded so that its gradient is added
    /// straight into that region of x's gradient buffer (no x-sized zero tensor per piece). <paramref name="rowMajor"/>
    /// holds x's row-major strides, the layout of that buffer.
    /// </summary>
    private Tensor<T> Piece(int d, int start, int length, int[] rowMajor)
    {
        var y = SliceView(d, start, length, 1);
        if (!Recording(this)) return y;
        var x = this;
        return Record(y, "split", [x], saved: [], (dy, sink) =>
        {
            if (!sink.Needs(0)) return;
            var g = Autograd.Buffer(x);
            ElementwiseLoops.Accumulate(g.Storage, g.Offset + (length == 0 ? 0 : start * rowMajor[d]), rowMajor, dy, overwrite: false);
        }, ts => ts[0]!.Slice(d, start, start + length));
    }

    /// <summary>
    /// Cat and Stack at once. Both write, for each index over the dimensions before <c>d</c>, one block per input
    /// (its elements from <c>d</c> on, in row-major order) one after another; Stack's block is a whole input.
    /// </summary>
    private static Tensor<T> Join(IReadOnlyList<Tensor<T>> tensors, int dim, bool stack)
    {
        string op = stack ? "Stack" : "Cat";
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new NablaArgumentException(nameof(tensors), $"{op}: tensors is empty; it needs at least one tensor");
        var inputs = new Tensor<T>[tensors.Count];
        for (int i = 0; i < inputs.Length; i++)
            inputs[i] = tensors[i] ?? throw new NablaArgumentException(nameof(tensors), $"{op}: tensors[{i}] is null");
        var first = inputs[0].ShapeArray;
        int rank = first.Length;
        if (!stack && rank == 0)
            throw new NablaArgumentException(nameof(tensors), "Cat: tensors[0] is 0-d and has no dimension to join along; use Stack, or Reshape(1) each tensor first");
        int d = Shapes.NormalizeAxis(dim, stack ? rank + 1 : rank, op);

        long joined = stack ? inputs.Length : 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            var s = inputs[i].ShapeArray;
            bool same = s.Length == rank;
            for (int k = 0; same && k < rank; k++) same = s[k] == first[k] || (!stack && k == d);
            if (!same)
                throw new NablaArgumentException(nameof(tensors), $"{op}: tensors[{i}] has shape {Shapes.Format(s)} but tensors[0] has shape {Shapes.Format(first)}; "
                    + (stack ? "Stack needs every tensor to have the same shape" : $"every dimension but the joined dimension {dim} must match"));
            if (!stack) joined += s[d];
        }
        if (joined > Array.MaxLength)
            throw new NablaException($"{op}: the joined dimension {dim} would have {joined:N0} elements, more than a tensor holds");
        int[] outShape;
        if (stack) outShape = [.. first[..d], (int)joined, .. first[d..]];
        else { outShape = (int[])first.Clone(); outShape[d] = (int)joined; }
        int total = Shapes.ElementCount(outShape);

        // Per input: the length of its block, and where each of its elements lands relative to the block start.
        int blockStride = 0;
        var blocks = new int[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) { blocks[i] = Shapes.ElementCount(inputs[i].ShapeArray.AsSpan(d)); blockStride += blocks[i]; }
        var placements = new int[inputs.Length][];
        for (int i = 0; i < inputs.Length; i++) placements[i] = BlockStrides(inputs[i].ShapeArray, d, blockStride);

        var data = BufferPool<T>.Rent(total);
        for (int i = 0, offset = 0; i < inputs.Length; offset += blocks[i], i++)
            ElementwiseLoops.Accumulate(data, offset, placements[i], inputs[i], overwrite: true);
        var result = Dense(data, outShape, null);
        if (!Recording(inputs)) return result;

        var shapes = inputs.Select(t => t.ShapeArray).ToArray();
        return Record(result, stack ? "stack" : "cat", inputs, saved: [], (dy, sink) =>
        {
            for (int i = 0, offset = 0; i < shapes.Length; offset += blocks[i], i++)
                if (sink.Needs(i)) sink.Add(i, new Tensor<T>(dy.Store, dy.Offset + offset, shapes[i], placements[i]), owned: false);
        }, ts =>
        {
            var parts = new Tensor<T>[ts.Length];
            for (int i = 0; i < ts.Length; i++) parts[i] = ts[i] ?? Zeros(shapes[i]);
            return Join(parts, d, stack);
        });
    }

    /// <summary>
    /// Strides that place an input of <paramref name="shape"/> inside the joined output: row-major from dimension
    /// <paramref name="d"/> on (its block is contiguous), and for the dimensions before, steps of whole output rows of
    /// <paramref name="blockStride"/> elements (the sum of every input's block).
    /// </summary>
    private static int[] BlockStrides(int[] shape, int d, int blockStride)
    {
        var strides = Shapes.RowMajorStrides(shape);
        int step = blockStride;
        for (int k = d - 1; k >= 0; k--) { strides[k] = step; step *= Math.Max(shape[k], 1); }
        return strides;
    }
}
