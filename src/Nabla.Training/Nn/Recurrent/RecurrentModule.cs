using System.Globalization;
using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// What <see cref="RNN{T}"/>, <see cref="LSTM{T}"/> and <see cref="GRU{T}"/> share, laid out as PyTorch's <c>RNNBase</c>:
/// per layer k the parameters <c>weight_ih_l{k}</c> [G·H, in_k], <c>weight_hh_l{k}</c> [G·H, H], <c>bias_ih_l{k}</c> and
/// <c>bias_hh_l{k}</c> [G·H] (G gate blocks: 1, 4 or 3; in_0 = input size, in_k = H above), in that state-dict order, all
/// drawn from U(−1/√H, 1/√H) in that order. Each layer is one fused op over the whole sequence
/// (<see cref="Tensor{T}.RnnLayer"/>, <see cref="Tensor{T}.LstmLayer"/>, <see cref="Tensor{T}.GruLayer"/>); in training
/// mode, dropout with probability <see cref="Dropout"/> is applied to every layer's output except the last.
/// Unidirectional only, without LSTM projections (PyTorch's bidirectional and proj_size are not offered).
/// </summary>
public abstract class RecurrentModule<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RandomState _rng;
    private readonly string _name;

    private protected RecurrentModule(string name, int gateBlocks, int inputSize, int hiddenSize, RandomState rng, int numLayers, bool bias,
        bool batchFirst, double dropout)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _name = name;
        InputSize = NablaArgumentException.Check(inputSize, inputSize >= 1, name, nameof(inputSize), "≥ 1");
        HiddenSize = NablaArgumentException.Check(hiddenSize, hiddenSize >= 1, name, nameof(hiddenSize), "≥ 1");
        NumLayers = NablaArgumentException.Check(numLayers, numLayers >= 1, name, nameof(numLayers), "≥ 1");
        Dropout = NablaArgumentException.Check(dropout, dropout >= 0 && dropout <= 1, name, nameof(dropout), "in [0, 1]");
        BatchFirst = batchFirst;
        _rng = rng;
        int gates = gateBlocks * hiddenSize;
        var wih = new Tensor<T>[numLayers];
        var whh = new Tensor<T>[numLayers];
        var bih = bias ? new Tensor<T>[numLayers] : null;
        var bhh = bias ? new Tensor<T>[numLayers] : null;
        double bound = 1 / Math.Sqrt(hiddenSize);
        for (int k = 0; k < numLayers; k++)
        {
            wih[k] = Tensor<T>.Zeros(gates, k == 0 ? inputSize : hiddenSize).RequireGrad();
            whh[k] = Tensor<T>.Zeros(gates, hiddenSize).RequireGrad();
            if (bih is not null) bih[k] = Tensor<T>.Zeros(gates).RequireGrad();
            if (bhh is not null) bhh[k] = Tensor<T>.Zeros(gates).RequireGrad();
        }
        WeightIh = wih;
        WeightHh = whh;
        BiasIh = bih;
        BiasHh = bhh;
        foreach (var (_, p) in OwnParameters()) Init.Uniform(p, rng, -bound, bound);
    }

    /// <summary>The width of each input step.</summary>
    public int InputSize { get; }

    /// <summary>The width H of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>How many layers are stacked (each reads the one below's output sequence).</summary>
    public int NumLayers { get; }

    /// <summary>True when input and output are [N, T, ·] rather than [T, N, ·]; the final states stay [layers, N, H] either way.</summary>
    public bool BatchFirst { get; }

    /// <summary>The dropout probability applied between layers in training mode (0: none).</summary>
    public double Dropout { get; }

    /// <summary>True when the layers have biases.</summary>
    public bool HasBias => BiasIh is not null;

    /// <summary>weight_ih_l{k} per layer, [G·H, in_k].</summary>
    public IReadOnlyList<Tensor<T>> WeightIh { get; }

    /// <summary>weight_hh_l{k} per layer, [G·H, H].</summary>
    public IReadOnlyList<Tensor<T>> WeightHh { get; }

    /// <summary>bias_ih_l{k} per layer, [G·H], or null without bias.</summary>
    public IReadOnlyList<Tensor<T>>? BiasIh { get; }

    /// <summary>bias_hh_l{k} per layer, [G·H], or null without bias.</summary>
    public IReadOnlyList<Tensor<T>>? BiasHh { get; }

    /// <summary>The output sequence for <paramref name="input"/> from zero initial states (see <see cref="Forward(Tensor{T}, Tensor{T}?, Tensor{T}?)"/>).</summary>
    public override Tensor<T> Forward(Tensor<T> input) => Run(input, null, null, finalStates: false).Output;

    /// <summary>
    /// Runs the layers over <paramref name="input"/>: [T, N, in] ([N, T, in] when <see cref="BatchFirst"/>), or one
    /// unbatched sequence [T, in]. <paramref name="h0"/> (and, for the LSTM, <paramref name="c0"/>) are the initial
    /// states, [layers, N, H] ([layers, H] unbatched), zeros when null. Returns the last layer's output sequence
    /// ([T, N, H] or [N, T, H]; [T, H] unbatched), the final hidden state of every layer, h_n [layers, N, H], and for
    /// the LSTM the final cell states c_n (null otherwise), all differentiable.
    /// </summary>
    public (Tensor<T> Output, Tensor<T> H, Tensor<T>? C) Forward(Tensor<T> input, Tensor<T>? h0, Tensor<T>? c0 = null)
    {
        var (output, h, c) = Run(input, h0, c0, finalStates: true);
        return (output, h!, c);
    }

    /// <summary>
    /// Layer <paramref name="k"/> as its fused op on a batched <paramref name="x"/>, with that layer's initial states
    /// [N, H] or null; returns the output sequence and, for the LSTM, the final cell state.
    /// </summary>
    private protected abstract (Tensor<T> Output, Tensor<T>? Cell) Layer(int k, Tensor<T> x, Tensor<T>? h0, Tensor<T>? c0);

    /// <summary>True for the LSTM, the one layer with a cell state.</summary>
    private protected virtual bool HasCell => false;

    private (Tensor<T> Output, Tensor<T>? H, Tensor<T>? C) Run(Tensor<T> input, Tensor<T>? h0, Tensor<T>? c0, bool finalStates)
    {
        ArgumentNullException.ThrowIfNull(input);
        if ((input.Rank != 2 && input.Rank != 3) || input.Shape[^1] != InputSize)
            throw new NablaArgumentException(nameof(input), $"{_name}: input of shape {Format(input.Shape)} is not "
                + $"{(BatchFirst ? "[N, T, input_size]" : "[T, N, input_size]")} or [T, input_size] with input_size = {InputSize}");
        if (c0 is not null && !HasCell) throw new NablaArgumentException(nameof(c0), $"{_name}: has no cell state, so c0 must be null");
        bool unbatched = input.Rank == 2;
        var x = unbatched ? input.Unsqueeze(BatchFirst ? 0 : 1) : input;
        int batch = x.Shape[BatchFirst ? 0 : 1];
        h0 = State(nameof(h0), h0, unbatched, batch, input);
        c0 = State(nameof(c0), c0, unbatched, batch, input);
        var hs = finalStates ? new Tensor<T>[NumLayers] : null;
        var cs = finalStates && HasCell ? new Tensor<T>[NumLayers] : null;
        for (int k = 0; k < NumLayers; k++)
        {
            var (y, cell) = Layer(k, x, h0?.Select(0, k), c0?.Select(0, k));
            if (hs is not null) hs[k] = y.Select(BatchFirst ? 1 : 0, -1);
            if (cs is not null) cs[k] = cell!;
            x = k + 1 < NumLayers && Dropout > 0 && IsTraining ? y.Dropout(Dropout, _rng) : y;
        }
        var output = unbatched ? x.Squeeze(BatchFirst ? 0 : 1) : x;
        if (!finalStates) return (output, null, null);
        var h = Stack(hs!, batch, unbatched);
        return (output, h, cs is null ? null : Stack(cs, batch, unbatched));
    }

    /// <summary>An initial state as [layers, N, H] (an unbatched [layers, H] gains the batch axis), refused when its shape is wrong.</summary>
    private Tensor<T>? State(string name, Tensor<T>? state, bool unbatched, int batch, Tensor<T> input)
    {
        if (state is null) return null;
        int[] expected = unbatched ? [NumLayers, HiddenSize] : [NumLayers, batch, HiddenSize];
        if (!state.Shape.SequenceEqual(expected))
            throw new NablaArgumentException(name, $"{_name}: {name} of shape {Format(state.Shape)} does not match (num_layers, "
                + $"{(unbatched ? "" : "batch, ")}hidden_size) = {Format(expected)} for input of shape {Format(input.Shape)}");
        return unbatched ? state.Unsqueeze(1) : state;
    }

    private Tensor<T> Stack(Tensor<T>[] layers, int batch, bool unbatched)
    {
        var stacked = layers.Length == 1 ? layers[0].Unsqueeze(0) : RecurrentTangents.Concat(layers, [layers.Length, batch, HiddenSize]);
        return unbatched ? stacked.Squeeze(1) : stacked;
    }

    /// <summary>PyTorch's state-dict names and order: per layer weight_ih, weight_hh, then bias_ih, bias_hh when present.</summary>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        for (int k = 0; k < NumLayers; k++)
        {
            yield return ($"weight_ih_l{k}", WeightIh[k]);
            yield return ($"weight_hh_l{k}", WeightHh[k]);
            if (BiasIh is not null) yield return ($"bias_ih_l{k}", BiasIh[k]);
            if (BiasHh is not null) yield return ($"bias_hh_l{k}", BiasHh[k]);
        }
    }

    /// <summary>PyTorch's repr, e.g. <c>LSTM(10, 20, num_layers=2, batch_first=True)</c>: settings shown only when not the default.</summary>
    public override string ToString()
    {
        var s = $"{_name}({InputSize}, {HiddenSize}";
        if (NumLayers != 1) s += $", num_layers={NumLayers}";
        if (!HasBias) s += ", bias=False";
        if (BatchFirst) s += ", batch_first=True";
        if (Dropout != 0)
        {
            string p = Dropout.ToString("R", CultureInfo.InvariantCulture);
            s += $", dropout={p}{(p.Contains('.') || p.Contains('E') ? "" : ".0")}";
        }
        return s + ")";
    }

    private static string Format(IReadOnlyList<int> shape) => "(" + string.Join(", ", shape) + (shape.Count == 1 ? ",)" : ")");
}
