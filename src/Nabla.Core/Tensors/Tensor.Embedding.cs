using System.Numerics;
using Nabla.Rng;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Rows of <paramref name="weight"/> [num_embeddings, dim] picked by <paramref name="indices"/> (PyTorch's
    /// <c>embedding</c>): the result has shape [.. <paramref name="indexShape"/>, dim]. Backward adds each output row's
    /// gradient onto the row it came from (a row picked twice gets both).
    /// </summary>
    public static Tensor<T> Embedding(Tensor<T> weight, int[] indices, int[] indexShape)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(indexShape);
        if (weight.Rank != 2) throw new NablaException($"embedding needs a weight of shape [num_embeddings, dim], got shape {Shapes.Format(weight.ShapeArray)}");
        if (Shapes.ElementCount(indexShape) != indices.Length)
            throw new NablaException($"embedding: {indices.Length} indices do not fill the index shape {Shapes.Format(indexShape)}");
        int rows = weight.ShapeArray[0], d = weight.ShapeArray[1];
        for (int i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)rows)
                throw new NablaException($"embedding: index {indices[i]} at position {i} is outside [0, {rows}) (the table has {rows} rows)");
        var (ws, wo) = Elements(weight);
        var y = BufferPool<T>.Rent(indices.Length * d);
        for (int i = 0; i < indices.Length; i++) ws.AsSpan(wo + indices[i] * d, d).CopyTo(y.AsSpan(i * d, d));
        var result = new Tensor<T>(y, [.. indexShape, d]);
        if (!Recording(weight)) return result;
        var picked = (int[])indices.Clone();
        return Record(result, "embedding", [weight], saved: [], (dy, sink) =>
        {
            var dys = dy.ContiguousSpan();
            var dw = sink.Buffer(0);
            for (int i = 0; i < picked.Length; i++)
                System.Numerics.Tensors.TensorPrimitives.Add(dw.Slice(picked[i] * d, d), dys.Slice(i * d, d), dw.Slice(picked[i] * d, d));
        }, ts =>
        {
            var flat = new int[picked.Length * d];
            for (int i = 0; i < flat.Length; i++) flat[i] = picked[i / Math.Max(d, 1)] * d + i % Math.Max(d, 1);
            return Tangents.TakeFlat(ts[0]!, flat, result.ShapeArray);
        });
    }

    /// <summary>
    /// Inverted dropout: in training, each element is zeroed with probability <paramref name="p"/> and the rest are scaled
    /// by 1/(1 − p), the keep mask drawn from <paramref name="rng"/> (one <see cref="RandomState.RandomSample()"/> per
    /// element in row-major order, kept when below 1 − p), so a seeded run repeats exactly. Outside training, or with
    /// p = 0, x itself. Backward multiplies by the same mask and scale.
    /// </summary>
    public Tensor<T> Dropout(double p, RandomState rng, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0 && p <= 1)) throw new NablaException($"dropout probability must be in [0, 1], got {p}");
        if (!training || p == 0) return this;
        var u = rng.RandomSample(ElementCount);
        var mask = new T[ElementCount];
        T scale = p == 1 ? T.Zero : T.One / T.CreateChecked(1 - p);
        for (int i = 0; i < mask.Length; i++) mask[i] = u[i] < 1 - p ? scale : T.Zero;
        var y = new T[ElementCount];
        System.Numerics.Tensors.TensorPrimitives.Multiply(ContiguousSpan(), mask, y);
        var result = new Tensor<T>(y, ShapeArray);
        if (!Recording(this)) return result;
        var shape = ShapeArray;
        return Record(result, "dropout", [this], saved: [], (dy, sink) =>
        {
            var dx = new T[mask.Length];
            System.Numerics.Tensors.TensorPrimitives.Multiply(dy.ContiguousSpan(), mask, dx);
            sink.Add(0, new Tensor<T>(dx, shape), owned: true);
        }, ts => ts[0]! * new Tensor<T>(mask, shape));
    }
}
