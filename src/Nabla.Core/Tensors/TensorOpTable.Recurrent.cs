using Nabla.Ops;
using T = Nabla.Tensors.Tensor<double>;

namespace Nabla.Tensors;

internal static partial class TensorOpTable
{
    /// <summary>
    /// The recurrent layer ops (RNN, LSTM, GRU) at T = 3 steps, N = 2, input 3, hidden 2, with and without initial
    /// states, bias and batch-first layout. The LSTM rows check the output sequence and the final cell state together.
    /// </summary>
    private static void AddRecurrent(List<TensorOpInfo> rows)
    {
        static Domain[] Everywhere(int n) => [.. Enumerable.Repeat(Domain.Everywhere, n)];
        int[] seq = [3, 2, 3], batchFirst = [2, 3, 3], state = [2, 2];
        int[][] Weights(int gates, bool bias) => bias ? [[gates * 2, 3], [gates * 2, 2], [gates * 2], [gates * 2]] : [[gates * 2, 3], [gates * 2, 2]];

        rows.Add(new("rnn_tanh", "RnnLayer", x => T.RnnLayer(x[0], x[1], x[2], x[3], x[4]), [[seq, .. Weights(1, true)]], Everywhere(5)));
        rows.Add(new("rnn_tanh(h0)", "RnnLayer", x => T.RnnLayer(x[0], x[1], x[2], x[3], x[4], x[5]), [[seq, .. Weights(1, true), state]], Everywhere(6)));
        rows.Add(new("rnn_relu(batch first, h0, no bias)", "RnnLayer", x => T.RnnLayer(x[0], x[1], x[2], null, null, x[3], relu: true, batchFirst: true),
            [[batchFirst, .. Weights(1, false), state]], Everywhere(4)));

        rows.Add(new("lstm", "LstmLayer", x => Lstm(T.LstmLayer(x[0], x[1], x[2], x[3], x[4])), [[seq, .. Weights(4, true)]], Everywhere(5)));
        rows.Add(new("lstm(h0, c0)", "LstmLayer", x => Lstm(T.LstmLayer(x[0], x[1], x[2], x[3], x[4], x[5], x[6])),
            [[seq, .. Weights(4, true), state, state]], Everywhere(7)));
        rows.Add(new("lstm(batch first, c0, no bias)", "LstmLayer", x => Lstm(T.LstmLayer(x[0], x[1], x[2], null, null, null, x[3], batchFirst: true)),
            [[batchFirst, .. Weights(4, false), state]], Everywhere(4)));

        rows.Add(new("gru", "GruLayer", x => T.GruLayer(x[0], x[1], x[2], x[3], x[4]), [[seq, .. Weights(3, true)]], Everywhere(5)));
        rows.Add(new("gru(h0)", "GruLayer", x => T.GruLayer(x[0], x[1], x[2], x[3], x[4], x[5]), [[seq, .. Weights(3, true), state]], Everywhere(6)));
        rows.Add(new("gru(batch first, h0, hidden bias only)", "GruLayer", x => T.GruLayer(x[0], x[1], x[2], null, x[3], x[4], batchFirst: true),
            [[batchFirst, [6, 3], [6, 2], [6], state]], Everywhere(5)));
    }

    /// <summary>The LSTM's output sequence and final cell state as one tensor, so one check covers both.</summary>
    private static T Lstm((T Output, T CellState) r) => RecurrentTangents.Concat([r.Output, r.CellState], [r.Output.ElementCount + r.CellState.ElementCount]);
}
