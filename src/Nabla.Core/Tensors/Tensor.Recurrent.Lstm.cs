using System.Buffers;
using System.Numerics.Tensors;
using Nabla.Kernels.Recurrent;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The LSTM layer as one op whose output packs every h_t (T·N·H values, in the input's layout) followed by c_T
    /// (N·H): one tensor, so one node carries both gradients into the same reverse loop. <see cref="LstmLayer"/> hands
    /// out the two parts as views. Saved for backward: the activated gates, every c_t, every h_{t−1} and c_0.
    /// </summary>
    private static Tensor<T> LstmCore(SequenceLayout s, Tensor<T> input, Tensor<T> weightIh, Tensor<T> weightHh,
        Tensor<T>? biasIh, Tensor<T>? biasHh, Tensor<T>? h0, Tensor<T>? c0)
    {
        var o = Operands(s, input, weightIh, weightHh, biasIh, biasHh, h0, c0);
        int N = s.Batch, H = s.Hidden, G = s.Gates, outputs = s.Rows * H;
        var gates = ArrayPool<T>.Shared.Rent(s.Rows * G);
        var cells = ArrayPool<T>.Shared.Rent(s.Rows * H);
        var cell0 = ArrayPool<T>.Shared.Rent(N * H);
        if (c0 is null) cell0.AsSpan(0, N * H).Clear(); else c0.ContiguousSpan().CopyTo(cell0);
        var hPrev = PreviousStates(s, h0);
        ProjectInput(o, SummedBias(biasIh, biasHh, G), gates);

        var y = BufferPool<T>.Rent(outputs + N * H);
        int step = 0;   // the step the row pass below works on (one delegate for the whole call, no allocation per step)
        Action<int, int> forwardRows = (lo, hi) =>
        {
            int t = step;
            for (int n = lo, r = s.First(t) + lo * s.Stride; n < hi; n++, r += s.Stride)
            {
                var cPrev = t > 0 ? cells.AsSpan((r - s.Step) * H, H) : c0 is null ? default : cell0.AsSpan(n * H, H);
                var h = y.AsSpan(r * H, H);
                RecurrentCells.LstmForward(gates.AsSpan(r * G, G), cPrev, cells.AsSpan(r * H, H), h);
                if (t + 1 < s.Steps) h.CopyTo(hPrev.AsSpan((r + s.Step) * H, H));
                else cells.AsSpan(r * H, H).CopyTo(y.AsSpan(outputs + n * H, H));
            }
        };
        for (int t = 0; t < s.Steps; t++)
        {
            if (t > 0 || h0 is not null) HiddenProduct(o, t, hPrev, gates.AsSpan(s.First(t) * G), s.Stride * G, accumulate: true);
            step = t;
            ForBatchRows(s, forwardRows);
        }
        var result = new Tensor<T>(y, outputs + N * H);
        return RecordRecurrent(result, "lstm", o, (dy, sink) =>
        {
            var dys = dy.ContiguousSpan();
            var dG = ArrayPool<T>.Shared.Rent(s.Rows * G);
            var dh = ArrayPool<T>.Shared.Rent(N * H);
            var dc = ArrayPool<T>.Shared.Rent(N * H);
            var scratch = ArrayPool<T>.Shared.Rent(N * H);
            dh.AsSpan(0, N * H).Clear();
            dys.Slice(outputs, N * H).CopyTo(dc);
            bool needState = o.H0 >= 0 && sink.Needs(o.H0);
            var dyArray = dy.IsContiguous ? dy.Storage : dys.ToArray();
            int dyOffset = dy.IsContiguous ? dy.Offset : 0, back = 0;
            Action<int, int> backwardRows = (lo, hi) =>
            {
                int t = back;
                for (int n = lo, r = s.First(t) + lo * s.Stride; n < hi; n++, r += s.Stride)
                {
                    var dhRow = dh.AsSpan(n * H, H);
                    TensorPrimitives.Add(dhRow, dyArray.AsSpan(dyOffset + r * H, H), dhRow);
                    var cPrev = t > 0 ? cells.AsSpan((r - s.Step) * H, H) : c0 is null ? default : cell0.AsSpan(n * H, H);
                    RecurrentCells.LstmBackward<T>(gates.AsSpan(r * G, G), cells.AsSpan(r * H, H), cPrev, dhRow, dc.AsSpan(n * H, H),
                        dG.AsSpan(r * G, G), scratch.AsSpan(n * H, H));
                }
            };
            for (int t = s.Steps - 1; t >= 0; t--)
            {
                back = t;
                ForBatchRows(s, backwardRows);
                if (t > 0 || needState) HiddenGradient(o, t, dG, dh.AsSpan(0, N * H), accumulate: false);
            }
            SequenceGradients(o, sink, dG.AsSpan(0, s.Rows * G), dG.AsSpan(0, s.Rows * G), hPrev.AsSpan(0, s.Rows * H));
            if (needState) GiveGradient(o, sink, o.H0, dh.AsSpan(0, N * H));
            GiveGradient(o, sink, o.C0, dc.AsSpan(0, N * H));
            foreach (var a in (T[][])[dG, dh, dc, scratch]) ArrayPool<T>.Shared.Return(a);
        }, ts => RecurrentTangents.Lstm(s.BatchFirst, input, weightIh, weightHh, biasIh, biasHh, h0, c0, TangentSlots(o, ts)), gates, cells, cell0, hPrev);
    }
}
