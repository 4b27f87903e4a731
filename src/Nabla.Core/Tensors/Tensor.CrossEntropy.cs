using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Losses;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Softmax cross-entropy of <paramref name="logits"/> [N, C] (or [C] for one sample) against class indices
    /// <paramref name="labels"/> (N of them, each in [0, C)), fused log-softmax + negative log-likelihood:
    /// l[r] = log Σ_c exp(z[r, c]) − z[r, labels[r]], computed as m + log Σ exp(z − m) with m the row maximum, so
    /// logits of ±1000 stay finite. Mean (the default) averages over the N samples, as PyTorch's
    /// <c>F.cross_entropy</c>. Backward: ∂l[r]/∂z[r, c] = softmax(z[r])[c] − [c = labels[r]], times dy (÷ N for Mean).
    /// </summary>
    public static Tensor<T> CrossEntropy(Tensor<T> logits, ReadOnlySpan<int> labels, Reduction reduction = Reduction.Mean)
    {
        Limits.Defined(reduction, nameof(reduction));
        if (logits.Rank is not (1 or 2))
            throw new NablaException($"cross_entropy needs logits of shape [N, C] or [C], got {Shapes.Format(logits.ShapeArray)}");
        int c = logits.ShapeArray[^1], n = logits.Rank == 2 ? logits.ShapeArray[0] : 1;
        if (labels.Length != n)
            throw new NablaException($"cross_entropy: {labels.Length} labels given for {n} rows of logits {Shapes.Format(logits.ShapeArray)}");
        var label = labels.ToArray();
        for (int r = 0; r < n; r++)
            if ((uint)label[r] >= (uint)c)
                throw new NablaException($"cross_entropy: label {label[r]} at row {r} is outside [0, {c}) for logits {Shapes.Format(logits.ShapeArray)}");

        var z = logits.ContiguousSpan();
        var lse = new T[n];
        var loss = reduction == Reduction.None ? new T[n] : null;
        double total = 0;   // rows summed in double: a float sum of thousands of row losses drifts by ~1e-6
        var tmp = ArrayPool<T>.Shared.Rent(Math.Max(c, 1));
        for (int r = 0; r < n; r++)
        {
            var row = z.Slice(r * c, c);
            T max = TensorPrimitives.Max(row);
            if (T.IsInfinity(max)) max = T.Zero;   // all −∞ (or a +∞) rows: let the arithmetic give NaN/∞ as PyTorch does
            TensorPrimitives.Subtract(row, max, tmp.AsSpan(0, c));
            TensorPrimitives.Exp(tmp.AsSpan(0, c), tmp.AsSpan(0, c));
            lse[r] = max + T.Log(TensorPrimitives.Sum<T>(tmp.AsSpan(0, c)));
            T l = lse[r] - row[label[r]];
            if (loss is not null) loss[r] = l;
            total += double.CreateTruncating(l);
        }
        ArrayPool<T>.Shared.Return(tmp);
        var y = loss is not null ? new Tensor<T>(loss, logits.Rank == 2 ? [n] : [])
            : Scalar(T.CreateTruncating(reduction == Reduction.Mean ? total / n : total));
        if (!Recording(logits)) return y;
        return Record(y, "cross_entropy", [logits], saved: [logits], (dy, sink) =>
        {
            var d = dy.ContiguousSpan();
            var zs = logits.ContiguousSpan();
            var g = sink.Buffer(0);
            var p = ArrayPool<T>.Shared.Rent(Math.Max(c, 1));
            var ps = p.AsSpan(0, c);
            for (int r = 0; r < n; r++)
            {
                T scale = reduction == Reduction.None ? d[r] : reduction == Reduction.Mean ? d[0] / T.CreateTruncating(n) : d[0];
                TensorPrimitives.Subtract(zs.Slice(r * c, c), lse[r], ps);
                TensorPrimitives.Exp(ps, ps);                     // softmax row
                ps[label[r]] -= T.One;                            // − onehot
                var gr = g.Slice(r * c, c);
                TensorPrimitives.MultiplyAdd(ps, scale, gr, gr);  // g += (softmax − onehot)·scale
            }
            ArrayPool<T>.Shared.Return(p);
        }, ts =>
        {
            // t_l[r] = Σ_c (softmax(z[r]) − onehot[r])_c · t[r, c], then reduced as the loss is.
            var onehot = Zeros(logits.ShapeArray);
            var h = onehot.Storage;
            for (int r = 0; r < n; r++) h[r * c + label[r]] = T.One;
            var perRow = ((logits.Softmax(-1) - onehot) * ts[0]!).Sum(-1);
            return reduction switch { Reduction.None => perRow, Reduction.Mean => perRow.Sum() / T.CreateTruncating(n), _ => perRow.Sum() };
        });
    }

    /// <summary>
    /// <see cref="CrossEntropy(Tensor{T}, ReadOnlySpan{int}, Reduction)"/> with the class indices given as the values of a
    /// 1-d tensor (e.g. labels loaded as floats); each must be an integer in [0, C).
    /// </summary>
    public static Tensor<T> CrossEntropy(Tensor<T> logits, Tensor<T> labels, Reduction reduction = Reduction.Mean)
    {
        var values = labels.ContiguousSpan();
        var indices = new int[values.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            if (!T.IsInteger(values[i]))
                throw new NablaException($"cross_entropy: label {values[i]} at position {i} is not a class index");
            indices[i] = int.CreateSaturating(values[i]);
        }
        return CrossEntropy(logits, indices, reduction);
    }
}
