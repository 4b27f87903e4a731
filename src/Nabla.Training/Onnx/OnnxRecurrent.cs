using System.Numerics;
using Nabla.Nn;
using Nabla.Tensors;

namespace Nabla.Onnx;

/// <summary>
/// <see cref="LSTM{T}"/>, <see cref="GRU{T}"/> and <see cref="RNN{T}"/> (batch-first, from zero states) as ONNX's LSTM,
/// GRU and RNN operators, one node per layer over the whole sequence. ONNX orders the gate blocks differently from
/// PyTorch, so the weights are stored re-ordered: LSTM PyTorch (i, f, g, o) → ONNX (i, o, f, c); GRU (r, z, n) → (z, r, h),
/// with <c>linear_before_reset = 1</c>, which is PyTorch's n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)). ONNX's W, R and B
/// are [1, G·H, in], [1, G·H, H] and [1, 2·G·H] (the input and hidden biases end to end). The input [B, T, C] is
/// transposed to ONNX's [T, B, C] once, each layer's Y [T, 1, B, H] squeezed to [T, B, H], and the result transposed
/// back. ONNX Runtime's CPU provider runs LSTM, GRU and RNN in float32 only, so in a float64 graph they compute in float32
/// between Casts (their weights stored as float32).
/// </summary>
internal static class OnnxRecurrent
{
    private static readonly int[] LstmGates = [0, 3, 1, 2], GruGates = [1, 0, 2], RnnGates = [0];

    public static string Add<T>(TextGraph g, string x, string name, RecurrentModule<T> layer, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var graph = g.Graph;
        var (op, order) = layer switch
        {
            LSTM<T> => ("LSTM", LstmGates),
            GRU<T> => ("GRU", GruGates),
            RNN<T> { Nonlinearity: RnnNonlinearity.Tanh } => ("RNN", RnnGates),
            _ => throw new NablaException($"{source}: layer {name} ({layer}) has no ONNX export (a relu RNN)"),
        };
        bool inFloat = g.IsDouble;   // ONNX Runtime's CPU LSTM, GRU and RNN kernels are float32 only
        OnnxDataType? storage = inFloat ? OnnxDataType.Float : null;
        int hidden = layer.HiddenSize;
        string y = graph.Node("Transpose", $"layer{name}_time_major", [x], new AttributeProto("perm", [1L, 0L, 2L]));
        if (inFloat) y = graph.Node("Cast", $"layer{name}_float32", [y], new AttributeProto("to", (long)OnnxDataType.Float));
        string squeezeAxis = graph.Integers($"layer{name}_direction_axis", [1]);
        for (int k = 0; k < layer.NumLayers; k++)
        {
            string Weight(string key, Tensor<T> w) =>
                graph.Numbers($"{name}.{key}_l{k}_onnx", [1, w.Shape[0], w.Shape[1]], Reorder(w, order, hidden), storage);
            List<string> inputs = [y, Weight("weight_ih", layer.WeightIh[k]), Weight("weight_hh", layer.WeightHh[k])];
            if (layer.BiasIh is { } bih && layer.BiasHh is { } bhh)
                inputs.Add(graph.Numbers($"{name}.bias_l{k}_onnx", [1, 2L * bih[k].Shape[0]], [.. Reorder(bih[k], order, hidden), .. Reorder(bhh[k], order, hidden)], storage));
            List<AttributeProto> attributes = [new("hidden_size", (long)hidden)];
            if (op == "GRU") attributes.Add(new AttributeProto("linear_before_reset", 1L));
            string all = graph.Node(op, $"layer{name}_{op.ToLowerInvariant()}_l{k}", inputs, [.. attributes]);
            y = graph.Node("Squeeze", $"layer{name}_l{k}_out", [all, squeezeAxis]);
        }
        if (inFloat) y = graph.Node("Cast", $"layer{name}_float64", [y], new AttributeProto("to", (long)OnnxDataType.Double));
        return graph.Node("Transpose", $"layer{name}_out", [y], new AttributeProto("perm", [1L, 0L, 2L]));
    }

    // The rows of a [G·H, …] (or [G·H]) tensor with its gate blocks of H rows re-ordered: block j of the result is block order[j].
    private static double[] Reorder<T>(Tensor<T> t, int[] order, int hidden) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = t.ToArray();
        int block = hidden * (t.Rank == 2 ? t.Shape[1] : 1);
        var result = new double[values.Length];
        for (int j = 0; j < order.Length; j++)
            for (int i = 0; i < block; i++) result[j * block + i] = double.CreateChecked(values[order[j] * block + i]);
        return result;
    }
}
