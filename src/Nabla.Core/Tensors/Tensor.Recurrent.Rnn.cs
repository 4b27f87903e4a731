using System.Buffers;
using System.Numerics.Tensors;
using Nabla.Kernels.Recurrent;
using Nabla.Ops;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The Elman RNN layer as one op: the input projection (both biases) is written straight into the output, and each
    /// step adds h_{t−1}·W_hhᵀ to its rows and applies the activation in place, so the output is also what backward reads
    /// (saved, version-checked). Saved besides: every h_{t−1}.
    /// </summary>
    private static Tensor<T> RnnCore(SequenceLayout s, Tensor<T> input, Tensor<T> weightIh, Tensor<T> weightHh,
        Tensor<T>? biasIh, Tensor<T>? biasHh, Tensor<T>? h0, bool relu)
    {
        var o = Operands(s, input, weightIh, weightHh, biasIh, biasHh, h0, null);
        int N = s.Batch, H = s.Hidden;
        var hPrev = PreviousStates(s, h0);
        var y = BufferPool<T>.Rent(s.Rows * H);
        ProjectInput(o, SummedBias(biasIh, biasHh, H), y);
        for (int t = 0; t < s.Steps; t++)
        {
            if (t > 0 || h0 is not null) HiddenProduct(o, t, hPrev, y.AsSpan(s.First(t) * H), s.Stride * H, accumulate: true);
            for (int n = 0, r = s.First(t); n < N; n++, r += s.Stride)
            {
                var h = y.AsSpan(r * H, H);
                if (relu) TensorPrimitives.Max(h, T.Zero, h); else TensorPrimitives.Tanh(h, h);
                if (t + 1 < s.Steps) h.CopyTo(hPrev.AsSpan((r + s.Step) * H, H));
            }
        }
        var result = new Tensor<T>(y, s.OutputShape);
        if (!Recording(o.Inputs))
        {
            ArrayPool<T>.Shared.Return(hPrev);
            return result;
        }
        Record(result, relu ? "rnn_relu" : "rnn_tanh", o.Inputs, saved: [input, weightIh, weightHh, result], (dy, sink) =>
        {
            var dys = dy.ContiguousSpan();
            var dG = ArrayPool<T>.Shared.Rent(s.Rows * H);
            var dh = ArrayPool<T>.Shared.Rent(N * H);
            dh.AsSpan(0, N * H).Clear();
            bool needState = o.H0 >= 0 && sink.Needs(o.H0);
            for (int t = s.Steps - 1; t >= 0; t--)
            {
                for (int n = 0, r = s.First(t); n < N; n++, r += s.Stride)
                {
                    var dhRow = dh.AsSpan(n * H, H);
                    TensorPrimitives.Add(dhRow, dys.Slice(r * H, H), dhRow);
                    RecurrentCells.RnnBackward<T>(y.AsSpan(r * H, H), dhRow, dG.AsSpan(r * H, H), relu);
                }
                if (t > 0 || needState) HiddenGradient(o, t, dG, dh.AsSpan(0, N * H), accumulate: false);
            }
            SequenceGradients(o, sink, dG.AsSpan(0, s.Rows * H), dG.AsSpan(0, s.Rows * H), hPrev.AsSpan(0, s.Rows * H));
            if (needState) GiveGradient(o, sink, o.H0, dh.AsSpan(0, N * H));
            ArrayPool<T>.Shared.Return(dG);
            ArrayPool<T>.Shared.Return(dh);
        }, ts => RecurrentTangents.Rnn(s.BatchFirst, relu, input, weightIh, weightHh, biasIh, biasHh, h0, TangentSlots(o, ts)));
        result.Node!.OnFree = () => ArrayPool<T>.Shared.Return(hPrev);
        return result;
    }
}
