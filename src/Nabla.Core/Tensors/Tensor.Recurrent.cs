using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Tensors;

// The recurrent layers as one op per layer, PyTorch's layout and gate order (nn.RNN, nn.LSTM, nn.GRU):
//   forward: P = X·W_ihᵀ + b for every step at once (one matrix product over [T·N, in]), then per step only
//            P_t += h_{t−1}·W_hhᵀ and the cell's element-wise pass, row by row (Kernels/Recurrent/RecurrentCells).
//   backward: one reverse loop that turns dL/dh into gate gradients dG_t and dh_{t−1} = dG_t·W_hh (one product per
//            step), then one product each for dW_ih = dGᵀ·X, dW_hh = dGᵀ·H_prev and dX = dG·W_ih over the whole sequence.
// Rows are kept in the input's own order (r = t·N + n, or n·T + t with batchFirst), so step t's rows are a strided
// matrix the products read in place and batch-first input needs no transposed copy. Every workspace is sized once per
// call from ArrayPool; the saved ones go back when the graph is freed.

public sealed partial class Tensor<T>
{
    /// <summary>
    /// One Elman RNN layer over a sequence (PyTorch's <c>nn.RNN</c> layer k): h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)
    /// with act = tanh, or relu when <paramref name="relu"/>. <paramref name="input"/> is [T, N, in] ([N, T, in] with
    /// <paramref name="batchFirst"/>), <paramref name="weightIh"/> [H, in], <paramref name="weightHh"/> [H, H], the biases
    /// [H] or null, <paramref name="h0"/> [N, H] or null (zeros). Returns every h_t in the input's layout, [T, N, H] or
    /// [N, T, H]; the final state is its last step. One graph node for the whole sequence.
    /// </summary>
    public static Tensor<T> RnnLayer(Tensor<T> input, Tensor<T> weightIh, Tensor<T> weightHh, Tensor<T>? biasIh, Tensor<T>? biasHh,
        Tensor<T>? h0 = null, bool relu = false, bool batchFirst = false)
    {
        var s = CheckRecurrent(relu ? "rnn_relu" : "rnn_tanh", 1, input, weightIh, weightHh, biasIh, biasHh, h0, null, batchFirst);
        return RnnCore(s, input, weightIh, weightHh, biasIh, biasHh, h0, relu);
    }

    /// <summary>
    /// One LSTM layer over a sequence (PyTorch's <c>nn.LSTM</c> layer k), gates in the order i, f, g, o:
    /// [i f g o] = x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh; i, f, o = σ(·), g = tanh(·); c_t = f⊙c_{t−1} + i⊙g;
    /// h_t = o⊙tanh(c_t). Shapes as <see cref="RnnLayer"/> with W_ih [4H, in], W_hh [4H, H], biases [4H], and
    /// <paramref name="c0"/> [N, H] or null. Returns every h_t ([T, N, H] or [N, T, H]) and the final cell state c_T [N, H].
    /// </summary>
    public static (Tensor<T> Output, Tensor<T> CellState) LstmLayer(Tensor<T> input, Tensor<T> weightIh, Tensor<T> weightHh,
        Tensor<T>? biasIh, Tensor<T>? biasHh, Tensor<T>? h0 = null, Tensor<T>? c0 = null, bool batchFirst = false)
    {
        var s = CheckRecurrent("lstm", 4, input, weightIh, weightHh, biasIh, biasHh, h0, c0, batchFirst);
        var packed = LstmCore(s, input, weightIh, weightHh, biasIh, biasHh, h0, c0);
        // Each part is one view node over the packed result (a slice then a reshape would copy the gradient twice).
        int outputs = s.Rows * s.Hidden, cells = s.Batch * s.Hidden;
        int[] shape = s.OutputShape, cellShape = [s.Batch, s.Hidden];
        var output = packed.View("lstm_output", PackedPart(packed, 0, shape), g => PackedPart(g, 0, shape), t => t.Slice(0, 0, outputs).Reshape(shape));
        var cell = packed.View("lstm_cell", PackedPart(packed, outputs, cellShape), g => PackedPart(g, outputs, cellShape),
            t => t.Slice(0, outputs, outputs + cells).Reshape(cellShape));
        return (output, cell);
    }

    /// <summary>The contiguous part of the flat <paramref name="packed"/> that starts at <paramref name="offset"/>, as <paramref name="shape"/>.</summary>
    private static Tensor<T> PackedPart(Tensor<T> packed, int offset, int[] shape) => new(packed.Store, packed.Offset + offset, shape, Shapes.RowMajorStrides(shape));

    /// <summary>
    /// One GRU layer over a sequence (PyTorch's <c>nn.GRU</c> layer k), gates in the order r, z, n:
    /// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)),
    /// h_t = (1 − z)⊙n + z⊙h_{t−1} (b_hn sits inside r⊙(…), so the two biases are not interchangeable there). Shapes as
    /// <see cref="RnnLayer"/> with W_ih [3H, in], W_hh [3H, H], biases [3H]. Returns every h_t ([T, N, H] or [N, T, H]).
    /// </summary>
    public static Tensor<T> GruLayer(Tensor<T> input, Tensor<T> weightIh, Tensor<T> weightHh, Tensor<T>? biasIh, Tensor<T>? biasHh,
        Tensor<T>? h0 = null, bool batchFirst = false)
    {
        var s = CheckRecurrent("gru", 3, input, weightIh, weightHh, biasIh, biasHh, h0, null, batchFirst);
        return GruCore(s, input, weightIh, weightHh, biasIh, biasHh, h0);
    }

    /// <summary>
    /// The sizes of one recurrent layer call and where step t's rows are: row (t, n) is t·N + n, or n·T + t with
    /// batchFirst, so step t's N rows start at row <see cref="First"/>(t) and lie <see cref="Stride"/> rows apart.
    /// </summary>
    private readonly record struct SequenceLayout(int Steps, int Batch, int Input, int Hidden, int Gates, bool BatchFirst)
    {
        public int Rows => Steps * Batch;
        public int First(int t) => BatchFirst ? t : t * Batch;
        public int Stride => BatchFirst ? Steps : 1;
        /// <summary>Rows between (t, n) and (t + 1, n).</summary>
        public int Step => BatchFirst ? 1 : Batch;
        public int[] OutputShape => BatchFirst ? [Batch, Steps, Hidden] : [Steps, Batch, Hidden];
    }

    private static SequenceLayout CheckRecurrent(string op, int blocks, Tensor<T> input, Tensor<T> weightIh, Tensor<T> weightHh,
        Tensor<T>? biasIh, Tensor<T>? biasHh, Tensor<T>? h0, Tensor<T>? c0, bool batchFirst)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weightIh);
        ArgumentNullException.ThrowIfNull(weightHh);
        string layout = batchFirst ? "[N, T, input_size] (batchFirst)" : "[T, N, input_size]";
        if (input.Rank != 3)
            throw new NablaArgumentException(nameof(input), $"{op}: input must have shape {layout}, got shape {Shapes.Format(input.ShapeArray)}");
        var w = weightHh.ShapeArray;
        if (weightHh.Rank != 2 || w[1] < 1 || w[0] != blocks * w[1])
            throw new NablaArgumentException(nameof(weightHh), $"{op}: weightHh must have shape [{(blocks == 1 ? "" : blocks + "·")}H, H] with H ≥ 1, got shape {Shapes.Format(w)}");
        int hidden = w[1], gates = w[0];
        int steps = input.ShapeArray[batchFirst ? 1 : 0], batch = input.ShapeArray[batchFirst ? 0 : 1], inSize = input.ShapeArray[2];
        if (steps < 1)
            throw new NablaArgumentException(nameof(input), $"{op}: input of shape {Shapes.Format(input.ShapeArray)} has no time steps (layout {layout})");
        // An empty batch or no input features would reach the matrix products with a zero dimension; refused like no steps.
        if (batch < 1 || inSize < 1)
            throw new NablaArgumentException(nameof(input), $"{op}: input of shape {Shapes.Format(input.ShapeArray)} has {(batch < 1 ? "no sequences in its batch" : "no input features")} (layout {layout})");
        if (weightIh.Rank != 2 || weightIh.ShapeArray[0] != gates || weightIh.ShapeArray[1] != inSize)
            throw new NablaArgumentException(nameof(weightIh), $"{op}: weightIh of shape {Shapes.Format(weightIh.ShapeArray)} does not match input of shape "
                + $"{Shapes.Format(input.ShapeArray)} and weightHh of shape {Shapes.Format(w)}: expected ({gates}, {inSize})");
        CheckVector(op, nameof(biasIh), biasIh, gates);
        CheckVector(op, nameof(biasHh), biasHh, gates);
        CheckState(op, nameof(h0), h0, batch, hidden, input);
        CheckState(op, nameof(c0), c0, batch, hidden, input);
        return new SequenceLayout(steps, batch, inSize, hidden, gates, batchFirst);
    }

    private static void CheckVector(string op, string name, Tensor<T>? b, int gates)
    {
        if (b is not null && (b.Rank != 1 || b.ShapeArray[0] != gates))
            throw new NablaArgumentException(name, $"{op}: {name} of shape {Shapes.Format(b.ShapeArray)} does not match the {gates} gate rows of the weights: expected ({gates},)");
    }

    private static void CheckState(string op, string name, Tensor<T>? state, int batch, int hidden, Tensor<T> input)
    {
        if (state is not null && (state.Rank != 2 || state.ShapeArray[0] != batch || state.ShapeArray[1] != hidden))
            throw new NablaArgumentException(name, $"{op}: {name} of shape {Shapes.Format(state.ShapeArray)} does not match batch {batch} of input "
                + $"{Shapes.Format(input.ShapeArray)} and hidden size {hidden}: expected ({batch}, {hidden})");
    }

    /// <summary>The operands a recurrent layer's products read, and where each input sits in the recorded input list (−1: absent).</summary>
    private sealed class RecurrentOperands
    {
        public required SequenceLayout S;
        public required Tensor<T>[] Inputs;
        public int BiasIh = -1, BiasHh = -1, H0 = -1, C0 = -1;
        public required T[] X;            // the input's rows [T·N, in], the caller's storage when contiguous
        public required int XOffset;
        public required Tensor<T> Wih, Whh;
        public required bool TransWih, TransWhh;
        public required int LdWih, LdWhh;

        public ReadOnlySpan<T> XRows => X.AsSpan(XOffset, S.Rows * S.Input);
        public ReadOnlySpan<T> WihSpan => Wih.Storage.AsSpan(Wih.Offset);
        public ReadOnlySpan<T> WhhSpan => Whh.Storage.AsSpan(Whh.Offset);
    }

    private static RecurrentOperands Operands(SequenceLayout s, Tensor<T> input, Tensor<T> weightIh, Tensor<T> weightHh,
        Tensor<T>? biasIh, Tensor<T>? biasHh, Tensor<T>? h0, Tensor<T>? c0)
    {
        var (x, xOffset) = input.IsContiguous ? (input.Storage, input.Offset) : (ElementwiseLoops.Gather(input), 0);
        var (wih, tih, ldih) = GemmOperand(weightIh);
        var (whh, thh, ldhh) = GemmOperand(weightHh);
        var inputs = new List<Tensor<T>>(7) { input, weightIh, weightHh };
        var o = new RecurrentOperands
        {
            S = s, Inputs = [], X = x, XOffset = xOffset, Wih = wih, Whh = whh, TransWih = tih, TransWhh = thh, LdWih = ldih, LdWhh = ldhh,
        };
        if (biasIh is not null) { o.BiasIh = inputs.Count; inputs.Add(biasIh); }
        if (biasHh is not null) { o.BiasHh = inputs.Count; inputs.Add(biasHh); }
        if (h0 is not null) { o.H0 = inputs.Count; inputs.Add(h0); }
        if (c0 is not null) { o.C0 = inputs.Count; inputs.Add(c0); }
        o.Inputs = [.. inputs];
        return o;
    }

    /// <summary>b_ih + b_hh (either may be null), the bias of the input projection when both add to every gate.</summary>
    private static T[] SummedBias(Tensor<T>? biasIh, Tensor<T>? biasHh, int gates)
    {
        if (biasIh is null && biasHh is null) return [];
        var b = new T[gates];
        if (biasIh is not null) biasIh.ContiguousSpan().CopyTo(b);
        if (biasHh is not null) TensorPrimitives.Add(b, biasHh.ContiguousSpan(), b);
        return b;
    }

    /// <summary>P[T·N, G] = X·W_ihᵀ + bias for every step in one product (bias: G values, or empty).</summary>
    private static void ProjectInput(RecurrentOperands o, ReadOnlySpan<T> bias, Span<T> p)
    {
        var s = o.S;
        Gemm.MultiplyBiasEpilogue<T, NoEpilogue<T>>(false, !o.TransWih, s.Rows, s.Gates, s.Input, o.XRows, s.Input, o.WihSpan, o.LdWih, p, s.Gates, bias);
    }

    /// <summary>Step t's gates += h_{t−1}·W_hhᵀ, or = with <paramref name="accumulate"/> false, reading h_{t−1} from <paramref name="hPrev"/> in place.</summary>
    private static void HiddenProduct(RecurrentOperands o, int t, ReadOnlySpan<T> hPrev, Span<T> gates, int ldGates, bool accumulate)
    {
        var s = o.S;
        Gemm.Multiply<T>(false, !o.TransWhh, s.Batch, s.Gates, s.Hidden, hPrev[(s.First(t) * s.Hidden)..], s.Stride * s.Hidden,
            o.WhhSpan, o.LdWhh, gates, ldGates, accumulate);
    }

    /// <summary>dh_{t−1} = dG_t·W_hh (or += with <paramref name="accumulate"/>), into [N, H] rows.</summary>
    private static void HiddenGradient(RecurrentOperands o, int t, ReadOnlySpan<T> dG, Span<T> dh, bool accumulate)
    {
        var s = o.S;
        Gemm.Multiply<T>(false, o.TransWhh, s.Batch, s.Hidden, s.Gates, dG[(s.First(t) * s.Gates)..], s.Stride * s.Gates,
            o.WhhSpan, o.LdWhh, dh, s.Hidden, accumulate);
    }

    /// <summary>From this many elements per step (N·H) the cell pass of a step is split over the matrix product's workers.</summary>
    private const int ParallelCellElements = 4096;

    /// <summary>
    /// Runs <paramref name="rows"/>(lo, hi) over the batch rows [0, N) of one step: in parts on the matrix product's workers
    /// when the step is big enough to pay for the fork–join (rows are independent: each writes only its own state), else
    /// on this thread in one call.
    /// </summary>
    private static void ForBatchRows(SequenceLayout s, Action<int, int> rows)
    {
        int threads = Math.Min(Gemm.MaxThreads, GemmWorkers.Threads);
        if (threads < 2 || s.Batch < 2 || (long)s.Batch * s.Hidden < ParallelCellElements) rows(0, s.Batch);
        else SplitBatchRows(s.Batch, threads, rows);
    }

    // Apart from ForBatchRows so the closure (which captures the arguments) is allocated only when the work is split.
    private static void SplitBatchRows(int batch, int threads, Action<int, int> rows)
    {
        int parts = Math.Min(threads, batch), chunk = (batch + parts - 1) / parts;
        GemmWorkers.Run(parts, threads, p => rows(p * chunk, Math.Min(batch, (p + 1) * chunk)));
    }

    /// <summary>h_{t−1} rows for every step in row order: step 0 from <paramref name="h0"/> (zeros when null); the caller fills the rest.</summary>
    private static T[] PreviousStates(SequenceLayout s, Tensor<T>? h0)
    {
        var hPrev = ArrayPool<T>.Shared.Rent(s.Rows * s.Hidden);
        var h0s = h0 is null ? default : h0.ContiguousSpan();
        for (int n = 0; n < s.Batch; n++)
        {
            var row = hPrev.AsSpan((s.First(0) + n * s.Stride) * s.Hidden, s.Hidden);
            if (h0 is null) row.Clear(); else h0s.Slice(n * s.Hidden, s.Hidden).CopyTo(row);
        }
        return hPrev;
    }

    /// <summary>The op's input tangents in the fixed slots of <see cref="RecurrentTangents"/>: input, W_ih, W_hh, b_ih, b_hh, h0, c0.</summary>
    private static Tensor<T>?[] TangentSlots(RecurrentOperands o, Tensor<T>?[] ts)
    {
        Tensor<T>? At(int i) => i < 0 ? null : ts[i];
        return [ts[0], ts[1], ts[2], At(o.BiasIh), At(o.BiasHh), At(o.H0), At(o.C0)];
    }

    /// <summary>Records <paramref name="y"/>'s node and gives the saved workspaces back to the pool when the node is freed (or at once when nothing records).</summary>
    private static Tensor<T> RecordRecurrent(Tensor<T> y, string name, RecurrentOperands o, BackwardRule<T> rule, TangentRule<T> tangent, params T[][] workspaces)
    {
        if (!Recording(o.Inputs))
        {
            foreach (var w in workspaces) ArrayPool<T>.Shared.Return(w);
            return y;
        }
        Record(y, name, o.Inputs, saved: [o.Inputs[0], o.Inputs[1], o.Inputs[2]], rule, tangent);
        y.Node!.OnFree = () => { foreach (var w in workspaces) ArrayPool<T>.Shared.Return(w); };
        return y;
    }
}
