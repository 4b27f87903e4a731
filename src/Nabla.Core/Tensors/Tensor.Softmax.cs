using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// y = exp(x − max) / Σ exp(x − max) along <paramref name="axis"/> (stable for large inputs);
    /// backward: dx = y ⊙ (dy − Σ dy ⊙ y) along the axis.
    /// </summary>
    public Tensor<T> Softmax(int axis = -1) => RowWise(axis, log: false);

    /// <summary>
    /// y = x − max − log Σ exp(x − max) along <paramref name="axis"/> (stable for large inputs);
    /// backward: dx = dy − exp(y) · Σ dy along the axis.
    /// </summary>
    public Tensor<T> LogSoftmax(int axis = -1) => RowWise(axis, log: true);

    private Tensor<T> RowWise(int axis, bool log)
    {
        string name = log ? "log_softmax" : "softmax";
        int ax = Shapes.NormalizeAxis(axis, Rank, name);
        if (ax != Rank - 1) return MoveAxis(ax, -1).RowWise(-1, log).MoveAxis(-1, ax);
        int n = ShapeArray[^1];
        var x = this;
        var xs = ContiguousSpan();
        var y = BufferPool<T>.Rent(xs.Length);
        var tmp = ArrayPool<T>.Shared.Rent(Math.Max(n, 1));
        for (int r = 0; n > 0 && r < xs.Length / n; r++)
        {
            var row = xs.Slice(r * n, n);
            var yr = y.AsSpan(r * n, n);
            TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), yr);
            if (log)
            {
                TensorPrimitives.Exp(yr, tmp.AsSpan(0, n));
                TensorPrimitives.Subtract(yr, T.Log(TensorPrimitives.Sum<T>(tmp.AsSpan(0, n))), yr);
            }
            else
            {
                TensorPrimitives.Exp(yr, yr);
                TensorPrimitives.Divide(yr, TensorPrimitives.Sum<T>(yr), yr);
            }
        }
        ArrayPool<T>.Shared.Return(tmp);
        var result = new Tensor<T>(y, ShapeArray);
        return Record(result, name, [x], saved: [result], (dy, sink) =>
        {
            var dys = dy.ContiguousSpan();
            var dx = sink.Buffer(0);
            var t = ArrayPool<T>.Shared.Rent(Math.Max(n, 1));
            var ts = t.AsSpan(0, n);
            for (int r = 0; n > 0 && r < y.Length / n; r++)
            {
                var yr = y.AsSpan(r * n, n);
                var dyr = dys.Slice(r * n, n);
                var dxr = dx.Slice(r * n, n);
                if (log)
                {
                    TensorPrimitives.Exp(yr, ts);                                   // softmax
                    TensorPrimitives.Multiply(ts, TensorPrimitives.Sum(dyr), ts);   // softmax · Σ dy
                    TensorPrimitives.Subtract(dyr, ts, ts);                         // dy − softmax · Σ dy
                }
                else
                {
                    TensorPrimitives.Subtract(dyr, TensorPrimitives.Dot(dyr, yr), ts); // dy − Σ dy·y
                    TensorPrimitives.Multiply(ts, yr, ts);                              // y ⊙ (dy − Σ dy·y)
                }
                TensorPrimitives.Add(dxr, ts, dxr);
            }
            ArrayPool<T>.Shared.Return(t);
        }, ts =>
        {
            // softmax: t_y = y ⊙ (t − Σ y ⊙ t); log_softmax: t_y = t − Σ softmax ⊙ t (sums along the last axis).
            var t = ts[0]!;
            var p = log ? result.Exp() : result;
            var centred = t - (p * t).Sum(-1, keepDims: true);
            return log ? centred : result * centred;
        });
    }
}
