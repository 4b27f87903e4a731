using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

// The grammar of character-level language models: the input is [B, T] token ids, every layer maps [B, T, C] to
// [B, T, C'], and the last gives [B, T, V] logits over the vocabulary.
public static partial class Architecture
{
    private static readonly Dictionary<string, Kind> TextKinds = new()
    {
        ["embedding"] = new(["dim"], []),
        ["lstm"] = new(["hidden"], ["layers", "dropout", "bias"]),
        ["gru"] = new(["hidden"], ["layers", "dropout", "bias"]),
        ["rnn"] = new(["hidden"], ["layers", "dropout", "bias"]),
        ["posembed"] = new([], []),
        ["gptblock"] = new(["heads"], ["dropout", "bias"]),
        ["linear"] = new(["out"], ["bias"], Flags: ["tied"], Required: 0),
        ["layernorm"] = new([], ["eps"]),
        ["dropout"] = new(["p"], []),
    };

    /// <summary>The layer names a text model's description may use.</summary>
    public static IReadOnlyList<string> TextLayerNames { get; } = [.. TextKinds.Keys, .. Activation.Names];

    /// <summary>
    /// The language model described by <paramref name="description"/> for a vocabulary of <paramref name="vocabulary"/>
    /// tokens and windows of up to <paramref name="context"/> tokens: its input is [B, T] token ids (T ≤ context, held as
    /// whole numbers in the tensor), its output [B, T, vocabulary] logits, one row per position. Layers, comma-separated:
    /// <c>embedding DIM</c> (first, and only there: ids → vectors of DIM), <c>lstm HIDDEN [layers= dropout= bias=]</c>,
    /// <c>gru HIDDEN […]</c> and <c>rnn HIDDEN […]</c> (tanh; batch-first, from a zero state, outputs the last layer's
    /// hidden state at every position), <c>posembed</c> (adds a learned vector per position, for up to
    /// <paramref name="context"/> positions), <c>gptblock HEADS [dropout= bias=]</c> (nanoGPT's pre-norm block: causal
    /// self-attention with HEADS heads, which must divide the width, then a GELU MLP of 4× the width), <c>linear [OUT] [tied] [bias=]</c> over the last
    /// axis (without OUT it outputs the vocabulary; <c>tied</c> reuses the embedding's table as its weight, PyTorch's
    /// weight tying, so it adds no matrix), <c>layernorm [eps=]</c> over the last axis, <c>dropout P</c> and the
    /// activations. The last layer must output the vocabulary. Parameters are drawn from <paramref name="rng"/> layer by
    /// layer; a description with a <c>gptblock</c> gets nanoGPT's initialisation instead (N(0, 0.02²) weights, zero biases,
    /// residual projections N(0, (0.02/√(2·blocks))²); see <c>GptInit</c>). A layer that does not fit gets an error with the
    /// description and a caret under it.
    /// </summary>
    public static Sequential<T> BuildText<T>(string description, int vocabulary, int context, RandomState rng)
        where T : unmanaged, IFloatingPointIeee754<T> => BuildText<T>(description, vocabulary, context, rng, long.MaxValue, out _);

    /// <summary>
    /// As the public overload, refusing (before allocating) a layer that would take the parameters past
    /// <paramref name="maxValues"/> values: a model file's description is only a claim, its tensors bound it.
    /// <paramref name="valuesPerWindow"/> is what one window of <paramref name="context"/> tokens computes, summed over
    /// the layers (each layer's output, a recurrent layer's gates and states, a GPT block's intermediates and its
    /// heads × context² attention scores); a layer that takes it past <see cref="Limits.MaxSampleValues"/> is refused,
    /// so that a long context cannot ask for more memory or time than a sample of any other network.
    /// </summary>
    internal static Sequential<T> BuildText<T>(string description, int vocabulary, int context, RandomState rng, long maxValues, out long valuesPerWindow)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(rng);
        if (vocabulary < 1) throw new NablaArgumentException(nameof(vocabulary), $"Architecture.BuildText: vocabulary is {vocabulary}; it must be ≥ 1");
        if (context < 1) throw new NablaArgumentException(nameof(context), $"Architecture.BuildText: context is {context}; it must be ≥ 1");
        var layers = Parse(description, TextKinds, Kinds, "images or table rows, not text");
        if (layers.Count == 0) throw new NablaException("the architecture description is empty; list layers such as \"embedding 64, linear\"");
        // As for every network: at most Limits.MaxModelValues; a model file's at most what its tensors hold.
        string bound = maxValues < Limits.MaxModelValues ? "the model's tensors hold"
            : $"are left of the limit of {Limits.MaxModelValues:N0} parameters and buffers per network (see docs/limits.md)";
        maxValues = Math.Min(maxValues, Limits.MaxModelValues);
        var start = rng.GetState();   // a GPT is drawn again from here, in nanoGPT's order (GptInit)
        var net = new Sequential<T>();
        Embedding<T>? embedding = null;
        int width = 0;
        long window = 0;
        foreach (var layer in layers)
        {
            var at = layer.Name;
            if ((at.Text == "embedding") != (net.Count == 0))
                throw Error(description, at.Start, at.Text.Length, net.Count == 0
                    ? "a text model starts with \"embedding DIM\", which turns token ids into vectors"
                    : "embedding comes once, first: the layers after it see vectors, not token ids");
            var settings = new TextSettings(layer, description);
            void Spend(long values)
            {
                if (values > maxValues)
                    throw Error(description, at.Start, at.Text.Length, $"{at.Text} would hold {values:N0} values, more than the {maxValues:N0} that {bound}");
                maxValues -= values;
            }
            // What the layer computes per window, as a multiple of the context (in 64-bit saturating arithmetic).
            void Compute(long perPosition, long attention = 0)
            {
                window = Limits.Sum(window, Limits.Sum(Limits.Product(context, perPosition), attention));
                if (window > Limits.MaxSampleValues)
                    throw Error(description, at.Start, at.Text.Length, $"a window of the context's {context:N0} tokens would compute {window:N0} values up to {at.Text}, " +
                        $"more than the {Limits.MaxSampleValues:N0} a sample may (see docs/limits.md); use a shorter context or narrower layers");
            }
            Module<T> module;
            switch (at.Text)
            {
                case "embedding":
                    width = settings.Int("dim", 0, 1);
                    Spend((long)vocabulary * width);
                    Compute(width);
                    module = embedding = new Embedding<T>(vocabulary, width, rng);
                    break;
                case "lstm" or "gru" or "rnn":
                    int hidden = settings.Int("hidden", 0, 1), stack = settings.Int("layers", 1, 1);
                    bool withBias = settings.Int("bias", 1, 0) != 0;
                    double dropout = settings.Real("dropout", 0, 0, 1);
                    int gates = at.Text switch { "lstm" => 4, "gru" => 3, _ => 1 };
                    // Per layer: W_ih [gates·H, in] (in = width, then H), W_hh [gates·H, H], and two biases [gates·H].
                    long first = Limits.Product(gates, hidden, (long)width + hidden + (withBias ? 2 : 0));
                    long others = Limits.Product(gates, stack - 1, hidden, 2L * hidden + (withBias ? 2 : 0));
                    Spend(Limits.Sum(first, others));
                    Compute(Limits.Product(gates + 2, hidden, stack));
                    module = at.Text switch
                    {
                        "lstm" => new LSTM<T>(width, hidden, rng, stack, withBias, batchFirst: true, dropout),
                        "gru" => new GRU<T>(width, hidden, rng, stack, withBias, batchFirst: true, dropout),
                        _ => new RNN<T>(width, hidden, rng, stack, bias: withBias, batchFirst: true, dropout: dropout),
                    };
                    width = hidden;
                    break;
                case "posembed":
                    Spend((long)context * width);
                    Compute(width);
                    module = new PositionalEmbedding<T>(context, width, rng);
                    break;
                case "gptblock":
                    int heads = settings.Int("heads", 0, 1);
                    if (width % heads != 0)
                        throw settings.At("heads", $"gptblock's {heads} heads do not divide the width {width}: each head takes width / heads features");
                    bool blockBias = settings.Int("bias", 1, 0) != 0;
                    // c_attn 3C², attention c_proj C², c_fc 4C², MLP c_proj 4C²; biases 9C and two LayerNorms 4C, or the norms' weights 2C alone.
                    Spend(Limits.Sum(Limits.Product(12, width, width), blockBias ? 13L * width : 2L * width));
                    // Two norms, q, k, v, the heads' output and its projection (7C), the MLP's 4C twice, the sum; and the scores.
                    Compute(16L * width, Limits.Product(heads, context, context));
                    module = new GptBlock<T>(width, heads, rng, settings.Real("dropout", 0, 0, 1), blockBias);
                    break;
                case "linear":
                    bool tied = settings.Int("tied", 0, 0) != 0, bias = settings.Int("bias", tied ? 0 : 1, 0) != 0;
                    int outputs = settings.Int("out", vocabulary, 1);
                    Spend((tied ? 0 : (long)width * outputs) + (bias ? outputs : 0));
                    Compute(outputs);
                    if (tied)
                    {
                        if (layer.Args.TryGetValue("out", out var given) && outputs != vocabulary)
                            throw Error(description, given.Token.Start, given.Token.Text.Length, $"a tied linear outputs the vocabulary ({vocabulary} characters), not {outputs}");
                        if (width != embedding!.Weight.Shape[1])
                            throw Error(description, at.Start, at.Text.Length, $"a tied linear needs inputs as wide as the embedding ({embedding.Weight.Shape[1]}), but gets {width} features per position");
                        module = new TiedLinear<T>(embedding, bias);
                    }
                    else module = new Linear<T>(width, outputs, rng, bias: bias);
                    width = outputs;
                    break;
                case "layernorm":
                    Spend(2L * width);
                    Compute(width);
                    module = new LayerNorm<T>(width, settings.Real("eps", 1e-5, 0, 1));
                    break;
                case "dropout":
                    Compute(width);
                    module = new Dropout<T>(settings.Real("p", 0, 0, 1), rng);
                    break;
                default:
                    Compute(width);
                    module = Activation.Create<T>(at.Text);
                    break;
            }
            net.Add(module);
        }
        valuesPerWindow = window;
        if (width != vocabulary)
        {
            var last = layers[^1].Name;
            throw Error(description, last.Start, last.Text.Length,
                $"the model ends with {width} features per position, but the vocabulary has {vocabulary} characters; end with \"linear\", which outputs the vocabulary");
        }
        if (net.Any(m => m is GptBlock<T>))
        {
            rng.SetState(start);
            GptInit.Apply(net, rng);
        }
        return net;
    }

    /// <summary>Reads one layer's settings, refusing a bad value with a caret under it.</summary>
    private sealed class TextSettings(Layer layer, string text)
    {
        public int Int(string key, int fallback, int min)
        {
            if (!layer.Args.TryGetValue(key, out var a)) return fallback;
            if (a.Value != Math.Floor(a.Value) || a.Value < min || a.Value > 1 << 20)
                throw Error(text, a.Token.Start, a.Token.Text.Length, $"{key} of {layer.Name.Text} must be a whole number from {min} to {1 << 20}");
            return (int)a.Value;
        }

        public double Real(string key, double fallback, double min, double max)
        {
            if (!layer.Args.TryGetValue(key, out var a)) return fallback;
            if (!(a.Value >= min && a.Value <= max))
                throw Error(text, a.Token.Start, a.Token.Text.Length, $"{key} of {layer.Name.Text} must be in [{min}, {max}]");
            return a.Value;
        }

        public NablaException At(string key, string message) =>
            layer.Args.TryGetValue(key, out var a) ? Error(text, a.Token.Start, a.Token.Text.Length, message)
                : Error(text, layer.Name.Start, layer.Name.Text.Length, message);
    }
}
