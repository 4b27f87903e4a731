using System.Numerics;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Records a view <paramref name="y"/> of this tensor. Its gradient is found by applying the same view,
    /// <paramref name="sameView"/>, to a zero buffer of this tensor's shape and adding dy through it; repeated
    /// elements (a broadcast view has stride 0) receive the sum of their gradients. A view is linear, so its tangent is
    /// the same view of the input's tangent, taken by <paramref name="tangentView"/> (the public, recorded method).
    /// </summary>
    private Tensor<T> View(string name, Tensor<T> y, Func<Tensor<T>, Tensor<T>> sameView, Func<Tensor<T>, Tensor<T>> tangentView)
    {
        var x = this;
        return Record(y, name, [x], saved: [], (dy, sink) =>
        {
            var g = Zeros(x.ShapeArray);
            var v = sameView(g);
            ElementwiseLoops.Accumulate(v.Storage, v.Offset, v.StridesArray, dy, overwrite: false);
            sink.Add(0, g, owned: true);
        }, ts => tangentView(ts[0]!));
    }

    /// <summary>The same elements in a new shape (one dimension may be −1, inferred). A view when contiguous, else a copy.</summary>
    public Tensor<T> Reshape(params int[] shape)
    {
        var s = InferShape(shape);
        var source = IsContiguous ? this : Contiguous();
        var y = new Tensor<T>(source.Store, source.Offset, s, Shapes.RowMajorStrides(s));
        var x = source;
        return Record(y, "reshape", [x], saved: [], (dy, sink) => sink.Add(0, new Tensor<T>(dy.Store, dy.Offset, x.ShapeArray, Shapes.RowMajorStrides(x.ShapeArray)), owned: false),
            ts => ts[0]!.Reshape(s));
    }

    /// <summary>A 1-d view (or copy, when not contiguous) of all elements in row-major order.</summary>
    public Tensor<T> Flatten() => Reshape(-1);

    private int[] InferShape(int[] shape)
    {
        var s = (int[])shape.Clone();
        int unknown = Array.IndexOf(s, -1);
        if (unknown >= 0)
        {
            long known = 1;
            for (int i = 0; i < s.Length; i++) if (i != unknown) known *= s[i];
            if (known == 0 || ElementCount % known != 0 || Array.LastIndexOf(s, -1) != unknown)
                throw new NablaException($"cannot reshape tensor of shape {Shapes.Format(ShapeArray)} into shape {Shapes.Format(shape)}");
            s[unknown] = (int)(ElementCount / known);
        }
        if (s.Any(d => d < 0) || Shapes.ElementCount(s) != ElementCount)
            throw new NablaException($"cannot reshape tensor of shape {Shapes.Format(ShapeArray)} into shape {Shapes.Format(shape)}");
        return s;
    }

    /// <summary>A view with the dimensions reordered: dimension i of the result is dimension <c>axes[i]</c> of this tensor.</summary>
    public Tensor<T> Permute(params int[] axes) => View("permute", PermuteView(axes), g => g.PermuteView(axes), t => t.Permute(axes));

    internal Tensor<T> PermuteView(int[] axes)
    {
        if (axes.Length != Rank) throw new NablaException($"permute needs {Rank} axes for shape {Shapes.Format(ShapeArray)}, got {axes.Length}");
        var norm = axes.Select(a => Shapes.NormalizeAxis(a, Rank, "permute")).ToArray();
        if (norm.Distinct().Count() != Rank) throw new NablaException($"permute axes ({string.Join(", ", axes)}) repeat an axis");
        return new Tensor<T>(Store, Offset, norm.Select(a => ShapeArray[a]).ToArray(), norm.Select(a => StridesArray[a]).ToArray());
    }

    /// <summary>All dimensions reversed (the matrix transpose for 2-d tensors, as NumPy's <c>.T</c>); a view.</summary>
    public Tensor<T> Transpose()
    {
        if (Rank != 2) return Permute(Enumerable.Range(0, Rank).Reverse().ToArray());
        // The matrix case without Permute's axis checks, which cost more than the view itself on small tensors.
        var y = new Tensor<T>(Store, Offset, [ShapeArray[1], ShapeArray[0]], [StridesArray[1], StridesArray[0]]);
        return Recording(this) ? View("permute", y, static g => g.PermuteView([1, 0]), static t => t.Transpose()) : y;
    }

    /// <summary>A view with dimensions <paramref name="axis0"/> and <paramref name="axis1"/> swapped.</summary>
    public Tensor<T> Transpose(int axis0, int axis1)
    {
        var axes = Enumerable.Range(0, Rank).ToArray();
        int a = Shapes.NormalizeAxis(axis0, Rank, "transpose"), b = Shapes.NormalizeAxis(axis1, Rank, "transpose");
        (axes[a], axes[b]) = (axes[b], axes[a]);
        return Permute(axes);
    }

    /// <summary>A view with dimension <paramref name="source"/> moved to position <paramref name="destination"/>.</summary>
    public Tensor<T> MoveAxis(int source, int destination)
    {
        int s = Shapes.NormalizeAxis(source, Rank, "moveaxis"), d = Shapes.NormalizeAxis(destination, Rank, "moveaxis");
        var axes = Enumerable.Range(0, Rank).Where(a => a != s).ToList();
        axes.Insert(d, s);
        return Permute(axes.ToArray());
    }

    /// <summary>
    /// A view of elements start, start + step, … before end along <paramref name="axis"/>, with Python's rules:
    /// negative positions count from the end and out-of-range bounds are clamped. <paramref name="step"/> must be positive.
    /// </summary>
    public Tensor<T> Slice(int axis, int start, int end, int step = 1)
    {
        int ax = Shapes.NormalizeAxis(axis, Rank, "slice");
        if (step <= 0) throw new NablaArgumentException(nameof(step), $"Slice: step is {step}; it must be positive");
        int n = ShapeArray[ax];
        // Python's rules: negative positions count from the end, out-of-range ones clamp; ⌈(e − s)/step⌉
        // is written so that a step near int.MaxValue cannot overflow (x[0:5:2**31-1] has 1 element).
        int s = Math.Clamp(start < 0 ? (int)Math.Max(0L, (long)start + n) : start, 0, n);
        int e = Math.Clamp(end < 0 ? (int)Math.Max(0L, (long)end + n) : end, 0, n);
        int len = e > s ? 1 + (e - s - 1) / step : 0;
        if (len <= 1) step = 1; // one element needs no stride, and stride × a huge step would overflow
        return View("slice", SliceView(ax, s, len, step), g => g.SliceView(ax, s, len, step), t => t.Slice(ax, s, len == 0 ? s : s + (len - 1) * step + 1, step));
    }

    internal Tensor<T> SliceView(int axis, int start, int length, int step)
    {
        var shape = (int[])ShapeArray.Clone();
        var strides = (int[])StridesArray.Clone();
        shape[axis] = length;
        strides[axis] *= step;
        return new Tensor<T>(Store, Offset + start * StridesArray[axis], shape, strides);
    }

    /// <summary>The sub-tensor at <paramref name="index"/> along <paramref name="axis"/>, that dimension removed; a view.</summary>
    public Tensor<T> Select(int axis, int index)
    {
        int ax = Shapes.NormalizeAxis(axis, Rank, "select");
        int i = index < 0 ? index + ShapeArray[ax] : index;
        if (i < 0 || i >= ShapeArray[ax]) throw new NablaException($"index {index} is out of range for axis {axis} of shape {Shapes.Format(ShapeArray)} in select");
        return View("select", SelectView(ax, i), g => g.SelectView(ax, i), t => t.Select(ax, i));
    }

    internal Tensor<T> SelectView(int axis, int index) => new(Store, Offset + index * StridesArray[axis],
        ShapeArray.Where((_, d) => d != axis).ToArray(), StridesArray.Where((_, d) => d != axis).ToArray());

    /// <summary>A view with a dimension of size 1 inserted at <paramref name="axis"/> (−1 appends).</summary>
    public Tensor<T> Unsqueeze(int axis)
    {
        int ax = Shapes.NormalizeAxis(axis, Rank + 1, "unsqueeze");
        var shape = ShapeArray.ToList();
        shape.Insert(ax, 1);
        return Reshape([.. shape]);
    }

    /// <summary>Removes dimensions of size 1: the given one (which must have size 1), or all when <paramref name="axis"/> is null.</summary>
    public Tensor<T> Squeeze(int? axis = null)
    {
        if (axis is int a)
        {
            int ax = Shapes.NormalizeAxis(a, Rank, "squeeze");
            if (ShapeArray[ax] != 1) throw new NablaException($"cannot squeeze axis {a} of size {ShapeArray[ax]} in shape {Shapes.Format(ShapeArray)}");
            return Reshape(ShapeArray.Where((_, d) => d != ax).ToArray());
        }
        return Reshape(ShapeArray.Where(d => d != 1).ToArray());
    }

    /// <summary>A view broadcast to <paramref name="shape"/> by NumPy's rules (stretched dimensions get stride 0; nothing is copied).</summary>
    public Tensor<T> Expand(params int[] shape)
    {
        if (ShapeArray.AsSpan().SequenceEqual(shape)) return this;
        var y = ExpandNoGrad(shape);
        return View("expand", y, g => g.ExpandNoGrad(shape), t => t.Expand(shape));
    }

    internal Tensor<T> ExpandNoGrad(int[] shape)
    {
        if (!Shapes.BroadcastsTo(ShapeArray, shape))
            throw new NablaException($"cannot broadcast shapes {Shapes.Format(ShapeArray)} and {Shapes.Format(shape)} in expand");
        return new Tensor<T>(Store, Offset, (int[])shape.Clone(), Shapes.BroadcastStrides(ShapeArray, StridesArray, shape));
    }

    /// <summary>This tensor if contiguous, else a contiguous copy (gradients pass straight through).</summary>
    public Tensor<T> Contiguous() => IsContiguous ? this : Clone();

    /// <summary>A contiguous copy with its own storage (gradients pass straight through).</summary>
    public Tensor<T> Clone()
    {
        var y = new Tensor<T>(ElementwiseLoops.Gather(this), ShapeArray);
        return Record(y, "clone", [this], saved: [], (dy, sink) => sink.Add(0, dy, owned: false), static ts => ts[0]);
    }
}
