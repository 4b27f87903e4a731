using System.Buffers;
using System.Numerics.Tensors;
using Nabla.Kernels.Recurrent;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The GRU layer as one op. The input projection carries b_ih plus b_hr and b_hz (they add straight into r and z);
    /// b_hn is added to h·W_hnᵀ per step, inside r⊙(…). Saved for backward: the activated gates r, z, n, every
    /// hn = W_hn·h_{t−1} + b_hn and every h_{t−1}.
    /// </summary>
    private static Tensor<T> GruCore(SequenceLayout s, Tensor<T> input, Tensor<T> weightIh, Tensor<T> weightHh,
        Tensor<T>? biasIh, Tensor<T>? biasHh, Tensor<T>? h0)
    {
        var o = Operands(s, input, weightIh, weightHh, biasIh, biasHh, h0, null);
        int N = s.Batch, H = s.Hidden, G = s.Gates;
        var gates = ArrayPool<T>.Shared.Rent(s.Rows * G);
        var hn = ArrayPool<T>.Shared.Rent(s.Rows * H);
        var hPrev = PreviousStates(s, h0);
        var hidden = ArrayPool<T>.Shared.Rent(N * G);
        // b_ih + b_hh, except the n block, which keeps b_in alone: b_hn is added per step inside r⊙(…).
        var bias = SummedBias(biasIh, biasHh, G);
        if (biasHh is not null && biasIh is null) bias.AsSpan(2 * H, H).Clear();
        else if (biasHh is not null) biasIh!.ContiguousSpan().Slice(2 * H, H).CopyTo(bias.AsSpan(2 * H, H));
        var biasHn = biasHh is null ? default : biasHh.ContiguousSpan().Slice(2 * H, H).ToArray();
        ProjectInput(o, bias, gates);

        var y = BufferPool<T>.Rent(s.Rows * H);
        int step = 0;   // the step the row pass below works on (one delegate for the whole call)
        Action<int, int> forwardRows = (lo, hi) =>
        {
            int t = step;
            bool hasState = t > 0 || h0 is not null;
            for (int n = lo, r = s.First(t) + lo * s.Stride; n < hi; n++, r += s.Stride)
            {
                var h = y.AsSpan(r * H, H);
                RecurrentCells.GruForward<T>(gates.AsSpan(r * G, G), hasState ? hidden.AsSpan(n * G, G) : default, biasHn,
                    hasState ? hPrev.AsSpan(r * H, H) : default, hn.AsSpan(r * H, H), h);
                if (t + 1 < s.Steps) h.CopyTo(hPrev.AsSpan((r + s.Step) * H, H));
            }
        };
        for (int t = 0; t < s.Steps; t++)
        {
            if (t > 0 || h0 is not null) HiddenProduct(o, t, hPrev, hidden, G, accumulate: false);
            step = t;
            ForBatchRows(s, forwardRows);
        }
        ArrayPool<T>.Shared.Return(hidden);
        var result = new Tensor<T>(y, s.OutputShape);
        return RecordRecurrent(result, "gru", o, (dy, sink) =>
        {
            var dys = dy.ContiguousSpan();
            var dInput = ArrayPool<T>.Shared.Rent(s.Rows * G);
            var dHidden = ArrayPool<T>.Shared.Rent(s.Rows * G);
            var dh = ArrayPool<T>.Shared.Rent(N * H);
            dh.AsSpan(0, N * H).Clear();
            bool needState = o.H0 >= 0 && sink.Needs(o.H0);
            var dyArray = dy.IsContiguous ? dy.Storage : dys.ToArray();
            int dyOffset = dy.IsContiguous ? dy.Offset : 0, back = 0;
            Action<int, int> backwardRows = (lo, hi) =>
            {
                int t = back;
                bool hasState = t > 0 || h0 is not null;
                for (int n = lo, r = s.First(t) + lo * s.Stride; n < hi; n++, r += s.Stride)
                {
                    var dhRow = dh.AsSpan(n * H, H);
                    TensorPrimitives.Add(dhRow, dyArray.AsSpan(dyOffset + r * H, H), dhRow);
                    RecurrentCells.GruBackward<T>(gates.AsSpan(r * G, G), hn.AsSpan(r * H, H), hasState ? hPrev.AsSpan(r * H, H) : default,
                        dhRow, dInput.AsSpan(r * G, G), dHidden.AsSpan(r * G, G));
                }
            };
            for (int t = s.Steps - 1; t >= 0; t--)
            {
                back = t;
                ForBatchRows(s, backwardRows);
                // dh now holds dh⊙z, the direct path to h_{t−1}; the path through the gates is added by the product.
                if (t > 0 || needState) HiddenGradient(o, t, dHidden, dh.AsSpan(0, N * H), accumulate: true);
            }
            SequenceGradients(o, sink, dInput.AsSpan(0, s.Rows * G), dHidden.AsSpan(0, s.Rows * G), hPrev.AsSpan(0, s.Rows * H));
            if (needState) GiveGradient(o, sink, o.H0, dh.AsSpan(0, N * H));
            foreach (var a in (T[][])[dInput, dHidden, dh]) ArrayPool<T>.Shared.Return(a);
        }, ts => RecurrentTangents.Gru(s.BatchFirst, input, weightIh, weightHh, biasIh, biasHh, h0, TangentSlots(o, ts)), gates, hn, hPrev);
    }
}
