using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>The sum of all elements, a 0-d tensor; ∂/∂x[i] = 1.</summary>
    public Tensor<T> Sum() => Sum(null);

    /// <summary>Sums over <paramref name="axis"/>; with <paramref name="keepDims"/> it stays as a dimension of size 1.</summary>
    public Tensor<T> Sum(int axis, bool keepDims = false) => Sum([axis], keepDims);

    /// <summary>
    /// y = Σ x over <paramref name="axes"/> (all axes when null or empty); with <paramref name="keepDims"/> the reduced
    /// dimensions stay with size 1. Backward broadcasts dy back over the reduced axes. An empty sum is 0.
    /// </summary>
    public Tensor<T> Sum(int[]? axes, bool keepDims = false)
    {
        var ax = Shapes.NormalizeAxes(axes, Rank, "sum");
        var keep = KeptShape(ax);
        var sum = Zeros(keep);
        ElementwiseLoops.Accumulate(sum.Storage, 0, Shapes.BroadcastStrides(keep, sum.StridesArray, ShapeArray), this, overwrite: false);
        var y = keepDims ? sum : new Tensor<T>(sum.Storage, ReducedShape(ax));
        var x = this;
        return Record(y, "sum", [x], saved: [], (dy, sink) =>
            sink.Add(0, new Tensor<T>(dy.Store, dy.Offset, keep, Shapes.RowMajorStrides(keep)).ExpandNoGrad(x.ShapeArray), owned: false),
            ts => ts[0]!.Sum(ax, keepDims));
    }

    /// <summary>The mean of all elements, a 0-d tensor (NaN for an empty tensor).</summary>
    public Tensor<T> Mean() => Mean(null);

    /// <summary>The mean over <paramref name="axis"/>.</summary>
    public Tensor<T> Mean(int axis, bool keepDims = false) => Mean([axis], keepDims);

    /// <summary>y = (Σ x over <paramref name="axes"/>) / (number of elements summed); ∂/∂x[i] = 1/count.</summary>
    public Tensor<T> Mean(int[]? axes, bool keepDims = false)
    {
        var ax = Shapes.NormalizeAxes(axes, Rank, "mean");
        int count = 1;
        foreach (int a in ax) count *= ShapeArray[a];
        return Sum(ax, keepDims) / T.CreateChecked(count);
    }

    /// <summary>The largest element, a 0-d tensor.</summary>
    public Tensor<T> Max() => Max(null);

    /// <summary>The largest element along <paramref name="axis"/>.</summary>
    public Tensor<T> Max(int axis, bool keepDims = false) => Max([axis], keepDims);

    /// <summary>
    /// y = max of x over <paramref name="axes"/> (all when null); NaN if any element is NaN. The gradient goes to the
    /// elements equal to the maximum, split evenly among ties.
    /// </summary>
    public Tensor<T> Max(int[]? axes, bool keepDims = false) => Extreme(axes, keepDims, "max");

    /// <summary>The smallest element, a 0-d tensor.</summary>
    public Tensor<T> Min() => Min(null);

    /// <summary>The smallest element along <paramref name="axis"/>.</summary>
    public Tensor<T> Min(int axis, bool keepDims = false) => Min([axis], keepDims);

    /// <summary>y = min of x over <paramref name="axes"/>; gradient as for <see cref="Max(int[], bool)"/>.</summary>
    public Tensor<T> Min(int[]? axes, bool keepDims = false) => Extreme(axes, keepDims, "min");

    private Tensor<T> Extreme(int[]? axes, bool keepDims, string name)
    {
        var ax = Shapes.NormalizeAxes(axes, Rank, name);
        var (data, blocks, length) = ReducedLast(ax, name);
        var result = new T[blocks];
        for (int i = 0; i < blocks; i++)
        {
            var block = data.Span.Slice(i * length, length);
            result[i] = name == "max" ? TensorPrimitives.Max(block) : TensorPrimitives.Min(block);
        }
        var keep = KeptShape(ax);
        var y = new Tensor<T>(result, keepDims ? keep : ReducedShape(ax));
        var x = this;
        return Record(y, name, [x], saved: [x, y], (dy, sink) =>
        {
            var mask = x.EqualTo(new Tensor<T>(y.Store, 0, keep, Shapes.RowMajorStrides(keep)));
            var share = new Tensor<T>(dy.Store, dy.Offset, keep, Shapes.RowMajorStrides(keep)) / mask.Sum(ax, keepDims: true);
            sink.Add(0, mask * share, owned: true);
        }, ts =>
        {
            // The tangent of the maximum is the mean of the tied elements' tangents (the split the gradient uses).
            Tensor<T> mask;
            using (NoGrad.Scope()) mask = x.EqualTo(new Tensor<T>(y.Store, 0, keep, Shapes.RowMajorStrides(keep)));
            var t = (mask * ts[0]!).Sum(ax, keepDims: true) / mask.Sum(ax, keepDims: true);
            return keepDims ? t : t.Reshape(y.ShapeArray);
        });
    }

    /// <summary>
    /// The index of the first largest element, as a tensor of whole numbers of type T: over the row-major flattened
    /// tensor when <paramref name="axis"/> is null (a 0-d result), else along that axis. Not differentiable.
    /// </summary>
    public Tensor<T> ArgMax(int? axis = null, bool keepDims = false)
    {
        int[] ax = axis is int a ? [Shapes.NormalizeAxis(a, Rank, "argmax")] : Enumerable.Range(0, Rank).ToArray();
        var (data, blocks, length) = ReducedLast(ax, "argmax");
        var result = new T[blocks];
        for (int i = 0; i < blocks; i++) result[i] = T.CreateChecked(TensorPrimitives.IndexOfMax(data.Span.Slice(i * length, length)));
        return new Tensor<T>(result, keepDims ? KeptShape(ax) : ReducedShape(ax));
    }

    /// <summary>
    /// y = log Σ exp(x) over <paramref name="axes"/>, computed as m + log Σ exp(x − m) with m the maximum so large
    /// inputs do not overflow; ∂y/∂x = softmax(x) over those axes.
    /// </summary>
    public Tensor<T> LogSumExp(int[]? axes = null, bool keepDims = false)
    {
        var ax = Shapes.NormalizeAxes(axes, Rank, "logsumexp");
        Tensor<T> m;
        using (NoGrad.Scope())
        {
            m = Max(ax, keepDims: true);
            var span = m.AsSpan();
            for (int i = 0; i < span.Length; i++) if (!T.IsFinite(span[i])) span[i] = T.Zero;
        }
        var y = (this - m).Exp().Sum(ax, keepDims: true).Log() + m;
        return keepDims ? y : y.Reshape(ReducedShape(ax));
    }

    /// <summary>log Σ exp(x) along one axis.</summary>
    public Tensor<T> LogSumExp(int axis, bool keepDims = false) => LogSumExp([axis], keepDims);

    /// <summary>The shape with every axis in <paramref name="axes"/> set to 1.</summary>
    private int[] KeptShape(int[] axes)
    {
        var s = (int[])ShapeArray.Clone();
        foreach (int a in axes) s[a] = 1;
        return s;
    }

    /// <summary>The shape with every axis in <paramref name="axes"/> removed.</summary>
    private int[] ReducedShape(int[] axes) => ShapeArray.Where((_, d) => !axes.Contains(d)).ToArray();

    /// <summary>The elements with the reduced axes moved last and made contiguous: blocks of <c>length</c> to reduce.</summary>
    private (ReadOnlyMemory<T> Data, int Blocks, int Length) ReducedLast(int[] axes, string name)
    {
        int length = 1;
        foreach (int a in axes) length *= ShapeArray[a];
        if (length == 0) throw new NablaException($"{name} of an empty selection of shape {Shapes.Format(ShapeArray)} has no identity");
        var perm = Enumerable.Range(0, Rank).Where(d => !axes.Contains(d)).Concat(axes).ToArray();
        var view = PermuteView(perm);
        var data = view.IsContiguous ? new ReadOnlyMemory<T>(Storage, Offset, ElementCount) : ElementwiseLoops.Gather(view);
        return (data, data.Length / length, length);
    }
}
