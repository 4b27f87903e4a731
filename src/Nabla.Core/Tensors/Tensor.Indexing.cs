using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The slices of x at the positions in <paramref name="index"/> along <paramref name="dim"/> (PyTorch's
    /// <c>index_select</c>): y[…, k, …] = x[…, index[k], …], so y has x's shape with that dimension's size replaced by the
    /// index length. <paramref name="index"/> is 1-D (or 0-d, one position) and may repeat positions; each lies in
    /// [0, size of <paramref name="dim"/>). Backward adds each slice of the gradient back onto the slice it came from
    /// (a slice picked twice gets both).
    /// </summary>
    public Tensor<T> IndexSelect(int dim, IndexTensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        int d = Shapes.NormalizeAxis(dim, Math.Max(Rank, 1), "IndexSelect");
        if (index.Rank > 1)
            throw new NablaArgumentException(nameof(index), $"IndexSelect: index has shape {Shapes.Format(index.ShapeArray)}; it must be 1-D (or 0-d)");
        int n = Rank == 0 ? 1 : ShapeArray[d];
        if (Rank == 0 && index.ElementCount != 1)
            throw new NablaArgumentException(nameof(index), $"IndexSelect: x is 0-d, so index must hold one position, but it has shape {Shapes.Format(index.ShapeArray)}");
        CheckPositions(index, n, d, "IndexSelect");
        var picked = index.Data;
        int m = picked.Length;
        int[] outShape = Rank == 0 ? [] : (int[])ShapeArray.Clone();
        if (Rank > 0) outShape[d] = m;
        int outer = Rank == 0 ? 1 : Shapes.ElementCount(ShapeArray.AsSpan(0, d));
        int inner = Rank == 0 ? 1 : Shapes.ElementCount(ShapeArray.AsSpan(d + 1));

        var (xs, xo) = Elements(this);
        var y = BufferPool<T>.Rent(Shapes.ElementCount(outShape));
        for (int o = 0; o < outer; o++)
            if (inner == 1)   // selecting along the last dimension: single elements, no span per element
                for (int k = 0; k < m; k++) y[o * m + k] = xs[xo + o * n + picked[k]];
            else
                for (int k = 0; k < m; k++)
                    xs.AsSpan(xo + (o * n + picked[k]) * inner, inner).CopyTo(y.AsSpan((o * m + k) * inner, inner));
        var result = Dense(y, outShape, null);
        if (!Recording(this)) return result;

        var kept = IndexTensor.Wrap((int[])picked.Clone(), index.ShapeArray);   // later writes to the caller's index must not change the gradient
        var positions = kept.Data;
        return Record(result, "index_select", [this], saved: [], (dy, sink) =>
        {
            var dys = dy.ContiguousSpan();
            var dx = sink.Buffer(0);
            for (int o = 0; o < outer; o++)
                if (inner == 1)
                    for (int k = 0; k < m; k++) dx[o * n + positions[k]] += dys[o * m + k];
                else
                    for (int k = 0; k < m; k++)
                    {
                        var row = dx.Slice((o * n + positions[k]) * inner, inner);
                        TensorPrimitives.Add(row, dys.Slice((o * m + k) * inner, inner), row);
                    }
        }, ts => ts[0]!.IndexSelect(d, kept));
    }

    /// <summary>
    /// Values of x picked along <paramref name="dim"/> by <paramref name="index"/> (PyTorch's <c>gather</c>): for every
    /// position p of the index, y[p] = x[p with its <paramref name="dim"/> coordinate replaced by index[p]]. The index has
    /// x's rank and, in every dimension but <paramref name="dim"/>, a size no larger than x's; y has the index's shape.
    /// Backward adds each gradient element onto the element of x it was read from.
    /// </summary>
    public Tensor<T> Gather(int dim, IndexTensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var ishape = index.ShapeArray;
        if (index.Rank != Rank)
            throw new NablaArgumentException(nameof(index), $"Gather: index has shape {Shapes.Format(ishape)} but x has shape {Shapes.Format(ShapeArray)}; they must have the same rank");
        int d = Shapes.NormalizeAxis(dim, Math.Max(Rank, 1), "Gather");
        CheckFits(ishape, ShapeArray, d, "Gather", "index", "x");
        CheckPositions(index, Rank == 0 ? 1 : ShapeArray[d], d, "Gather");
        var picked = index.Data;
        var y = BufferPool<T>.Rent(picked.Length);
        var walk = new IndexWalk(ishape, d);
        walk.Gather(picked, Storage, Offset, StridesArray, y, 0, Shapes.RowMajorStrides(ishape));
        var result = Dense(y, (int[])ishape.Clone(), null);
        if (!Recording(this)) return result;

        var kept = IndexTensor.Wrap((int[])picked.Clone(), ishape);
        var xShape = ShapeArray;
        return Record(result, "gather", [this], saved: [], (dy, sink) =>
        {
            if (!sink.Needs(0)) return;
            var g = Autograd.Buffer(this);
            walk.ScatterAdd(kept.Data, g.Storage, g.Offset, Shapes.RowMajorStrides(xShape), dy.Storage, dy.Offset, Shapes.RowMajorStrides(dy.ShapeArray));
        }, ts => ts[0]!.Gather(d, kept));
    }

    /// <summary>
    /// x plus <paramref name="src"/> scattered along <paramref name="dim"/> (PyTorch's out-of-place <c>scatter_add</c>):
    /// y = x, then for every position p of the index, y[p with its <paramref name="dim"/> coordinate replaced by index[p]]
    /// += src[p]; positions that repeat add up. The index has x's rank, no dimension larger than src's, and none but
    /// <paramref name="dim"/> larger than x's. Backward: ∂/∂x is the gradient itself, ∂/∂src[p] is the gradient at the
    /// position src[p] was added to (0 for src elements outside the index's extent).
    /// </summary>
    public Tensor<T> ScatterAdd(int dim, IndexTensor index, Tensor<T> src)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(src);
        var ishape = index.ShapeArray;
        if (index.Rank != Rank || src.Rank != Rank)
            throw new NablaArgumentException(nameof(index), $"ScatterAdd: x has shape {Shapes.Format(ShapeArray)}, index {Shapes.Format(ishape)} "
                + $"and src {Shapes.Format(src.ShapeArray)}; all three must have the same rank");
        int d = Shapes.NormalizeAxis(dim, Math.Max(Rank, 1), "ScatterAdd");
        CheckFits(ishape, src.ShapeArray, -1, "ScatterAdd", "index", "src");
        CheckFits(ishape, ShapeArray, d, "ScatterAdd", "index", "x");
        CheckPositions(index, Rank == 0 ? 1 : ShapeArray[d], d, "ScatterAdd");
        var picked = index.Data;
        var outShape = (int[])ShapeArray.Clone();
        var y = BufferPool<T>.Rent(ElementCount);
        var rowMajor = Shapes.RowMajorStrides(outShape);
        ElementwiseLoops.Accumulate(y, 0, rowMajor, this, overwrite: true);
        var walk = new IndexWalk(ishape, d);
        walk.ScatterAdd(picked, y, 0, rowMajor, src.Storage, src.Offset, src.StridesArray);
        var result = Dense(y, outShape, null);
        if (!Recording(this, src)) return result;

        var kept = IndexTensor.Wrap((int[])picked.Clone(), ishape);
        var srcShape = src.ShapeArray;
        return Record(result, "scatter_add", [this, src], saved: [], (dy, sink) =>
        {
            if (sink.Needs(0)) sink.Add(0, dy, owned: false);
            if (!sink.Needs(1)) return;
            var ds = Autograd.Buffer(src);
            walk.GatherAdd(kept.Data, dy.Storage, dy.Offset, rowMajor, ds.Storage, ds.Offset, Shapes.RowMajorStrides(srcShape));
        }, ts =>
        {
            if (ts[1] is null) return ts[0];
            return (ts[0] ?? Zeros(outShape)).ScatterAdd(d, kept, ts[1]!);
        });
    }

    /// <summary>
    /// Rows of <paramref name="weight"/> [num_embeddings, dim] picked by <paramref name="indices"/>: the result has shape
    /// [.. indices.Shape, dim]; the same op as <see cref="Embedding(Tensor{T}, int[], int[])"/>, with the indices and their
    /// shape taken from the index tensor.
    /// </summary>
    public static Tensor<T> Embedding(Tensor<T> weight, IndexTensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return Embedding(weight, indices.Data, indices.ShapeArray);
    }

    /// <summary>
    /// Refuses an index that does not fit <paramref name="target"/>: a larger size in any dimension but
    /// <paramref name="free"/> (−1: none is free).
    /// </summary>
    private static void CheckFits(int[] ishape, int[] target, int free, string op, string indexName, string targetName)
    {
        for (int k = 0; k < ishape.Length; k++)
            if (k != free && ishape[k] > target[k])
                throw new NablaArgumentException(indexName, $"{op}: {indexName} has shape {Shapes.Format(ishape)} and {targetName} has shape "
                    + $"{Shapes.Format(target)}; {indexName}'s size {ishape[k]} in dimension {k} exceeds {targetName}'s {target[k]}");
    }

    /// <summary>Refuses, before any work, an index holding a position outside [0, <paramref name="bound"/>).</summary>
    private static void CheckPositions(IndexTensor index, int bound, int dim, string op)
    {
        var data = index.Data;
        for (int i = 0; i < data.Length; i++)
            if ((uint)data[i] >= (uint)bound)
                throw new NablaArgumentException(nameof(index), $"{op}: index{IndexWalk.Position(i, index.ShapeArray)} is {data[i]}, "
                    + $"outside [0, {bound}), the size of dimension {dim}");
    }
}
