using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// Builds a <see cref="Sequential{T}"/> from a one-line description such as
/// <c>"conv 6 5, relu, maxpool 2, conv 16 5, relu, maxpool 2, flatten, linear 120, relu, linear 84, relu, linear 10"</c>,
/// inferring every layer's input size from the sample shape. Layers, comma-separated, with positional or
/// <c>name=value</c> settings: <c>conv OUT KERNEL [stride= padding= dilation= groups= bias=]</c>, <c>linear OUT [bias=]</c>,
/// <c>maxpool KERNEL [stride= padding=]</c>, <c>avgpool KERNEL [stride= padding=]</c>, <c>flatten</c>, <c>dropout P</c>,
/// <c>batchnorm [momentum= eps=]</c> (1d or 2d from the shape), <c>layernorm [eps=]</c> (over all but the batch axis),
/// <c>embedding NUM DIM</c>, and the activations relu, sigmoid, tanh, sin, identity, softmax. A bad token gets an error
/// with the description and a caret under it.
/// </summary>
public static partial class Architecture
{
    /// <summary>
    /// A layer's settings: positional ones in order (the first <c>Required</c> of them must be given; all when
    /// negative), named ones, and flags (bare words such as <c>tied</c> that mean <c>tied=true</c>).
    /// </summary>
    private sealed record Kind(string[] Positional, string[] Named, string[]? Flags = null, int Required = -1);

    private static readonly Dictionary<string, Kind> Kinds = new()
    {
        ["conv"] = new(["out", "kernel"], ["stride", "padding", "dilation", "groups", "bias"]),
        ["linear"] = new(["out"], ["bias"]),
        ["maxpool"] = new(["kernel"], ["stride", "padding"]),
        ["avgpool"] = new(["kernel"], ["stride", "padding"]),
        ["flatten"] = new([], []),
        ["dropout"] = new(["p"], []),
        ["batchnorm"] = new([], ["momentum", "eps"]),
        ["layernorm"] = new([], ["eps"]),
        ["embedding"] = new(["num", "dim"], []),
    };

    /// <summary>The layer names a description may use.</summary>
    public static IReadOnlyList<string> LayerNames { get; } = [.. Kinds.Keys, .. Activation.Names];

    /// <summary>
    /// The network described by <paramref name="description"/> for samples of <paramref name="sampleShape"/> (without the
    /// batch axis: [features] for rows, [C, H, W] for images). When the samples are images but arrive as flat rows,
    /// pass <paramref name="imageShape"/>: the network then starts with an <see cref="Unflatten{T}"/> to [C, H, W].
    /// Parameters are drawn from <paramref name="rng"/> layer by layer (PyTorch's default initialisation); dropout masks
    /// come from it too. Returns the network and the shape of one output sample.
    /// </summary>
    public static (Sequential<T> Network, int[] OutputShape) Build<T>(string description, int[] sampleShape, RandomState rng, int[]? imageShape = null)
        where T : unmanaged, IFloatingPointIeee754<T> => Build<T>(description, sampleShape, rng, imageShape, Limits.MaxModelValues);

    /// <summary>
    /// As the public overload, refusing (before allocating) a description whose parameters and buffers would hold more
    /// than <paramref name="maxValues"/> values: a model file's description is only a claim, the tensors it holds are
    /// what bounds it.
    /// </summary>
    internal static (Sequential<T> Network, int[] OutputShape) Build<T>(string description, int[] sampleShape, RandomState rng, int[]? imageShape,
        long maxValues) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentNullException.ThrowIfNull(rng);
        var net = new Sequential<T>();
        int[] shape = sampleShape;
        if (imageShape is not null)
        {
            if (sampleShape.Length != 1 || sampleShape[0] != Shapes.ElementCount(imageShape))
                throw new NablaException($"rows of {Shapes.Format(sampleShape)} features cannot be images of {string.Join("x", imageShape)} ({Shapes.ElementCount(imageShape)} values)");
            net.Add(new Unflatten<T>(imageShape));
            shape = imageShape;
        }
        var layers = Parse(description, Kinds, TextKinds, "a text model");
        if (layers.Count == 0) throw new NablaException("the architecture description is empty; list layers such as \"linear 16, relu, linear 2\"");
        // Every network is bounded by Limits.MaxModelValues; a model file's by the tensors it holds, when fewer.
        long budget = Math.Min(maxValues, Limits.MaxModelValues);
        string bound = maxValues < Limits.MaxModelValues ? "the model's tensors hold"
            : $"are left of the limit of {Limits.MaxModelValues:N0} parameters and buffers per network (see docs/limits.md)";
        foreach (var layer in layers)
        {
            var (module, next) = Create<T>(layer, shape, rng, description, ref budget, bound);
            net.Add(module);
            shape = next;
        }
        return (net, shape);
    }

    /// <summary>
    /// The description in a JSON file's text: an array of layer strings (<c>["conv 6 5", "relu"]</c>), of objects
    /// (<c>{"type": "conv", "out": 6, "kernel": 5, "padding": 2}</c>), or either under a <c>"layers"</c> key.
    /// </summary>
    public static string FromJson(string json, string source = "the architecture JSON")
    {
        ArgumentNullException.ThrowIfNull(json);
        // A lone surrogate escape ("\ud800") would otherwise throw from deep inside the JSON reader.
        Serialization.JsonStrings.Validate(json, source, "the layers");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new NablaException(NotJson(source, e), e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("layers", out var inner)) root = inner;
            if (root.ValueKind != JsonValueKind.Array)
                throw new NablaException($"{source} should be an array of layers (or an object with a \"layers\" array)");
            var parts = new List<string>();
            int i = 0;
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String) parts.Add(item.GetString()!);
                else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
                {
                    var sb = new StringBuilder(type.GetString());
                    foreach (var p in item.EnumerateObject().Where(p => p.Name != "type"))
                        sb.Append(' ').Append(p.Name).Append('=').Append(p.Value.ValueKind == JsonValueKind.True ? "true" : p.Value.ValueKind == JsonValueKind.False ? "false" : p.Value.GetRawText());
                    parts.Add(sb.ToString());
                }
                else throw new NablaException($"{source}: layer {i} should be a string such as \"conv 6 5\" or an object with a \"type\"");
                i++;
            }
            return string.Join(", ", parts);
        }
    }

    // System.Text.Json ends its message with "LineNumber: 0 | BytePositionInLine: 65." (both counted from 0); say the
    // same in one line, counted from 1 as editors count.
    private static string NotJson(string source, JsonException e)
    {
        string reason = e.Message;
        int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0) reason = reason[..cut];
        reason = reason.Split('\n')[0].Trim().TrimEnd('.');
        string where = e.LineNumber is { } line ? $" at line {line + 1}, column {e.BytePositionInLine.GetValueOrDefault() + 1}" : "";
        return $"{source} is not valid JSON{where}: {reason}";
    }

    private sealed record Token(string Text, int Start);

    private sealed record Layer(Token Name, Dictionary<string, (double Value, Token Token)> Args);

    /// <summary>
    /// The layers of <paramref name="text"/> as <paramref name="kinds"/> reads them; a layer known only to
    /// <paramref name="otherKinds"/> is refused as belonging to <paramref name="otherUse"/>.
    /// </summary>
    private static List<Layer> Parse(string text, Dictionary<string, Kind> kinds, Dictionary<string, Kind> otherKinds, string otherUse)
    {
        var layers = new List<Layer>();
        int start = 0;
        foreach (var segment in text.Split(','))
        {
            var tokens = new List<Token>();
            for (int i = 0; i < segment.Length;)
            {
                if (char.IsWhiteSpace(segment[i])) { i++; continue; }
                int j = i;
                while (j < segment.Length && !char.IsWhiteSpace(segment[j])) j++;
                tokens.Add(new Token(segment[i..j], start + i));
                i = j;
            }
            start += segment.Length + 1;
            if (tokens.Count == 0)
            {
                if (text.Trim().Length == 0) continue;
                throw Error(text, start - 1, 1, "an empty layer (two commas in a row, or a comma at the end)");
            }
            layers.Add(ParseLayer(text, tokens, kinds, otherKinds, otherUse));
        }
        return layers;
    }

    private static Layer ParseLayer(string text, List<Token> tokens, Dictionary<string, Kind> kinds, Dictionary<string, Kind> otherKinds, string otherUse)
    {
        var name = tokens[0] with { Text = tokens[0].Text.ToLowerInvariant() };
        bool activation = Activation.Names.Contains(name.Text);
        if (!kinds.TryGetValue(name.Text, out var kind))
        {
            string known = string.Join(", ", [.. kinds.Keys, .. Activation.Names]);
            if (otherKinds.ContainsKey(name.Text))
                throw Error(text, name.Start, name.Text.Length, $"{name.Text} is a layer for {otherUse}, not here; layers here: {known}");
            if (!activation) throw Error(text, name.Start, name.Text.Length, $"unknown layer \"{tokens[0].Text}\"; known layers: {known}");
            kind = new Kind([], []);
        }
        var args = new Dictionary<string, (double, Token)>();
        int position = 0;
        foreach (var t in tokens.Skip(1))
        {
            int eq = t.Text.IndexOf('=');
            if (eq < 0 && kind.Flags is { } flags && flags.Contains(t.Text.ToLowerInvariant()))
            {
                if (!args.TryAdd(t.Text.ToLowerInvariant(), (1, t))) throw Error(text, t.Start, t.Text.Length, $"{name.Text} has {t.Text} twice");
                continue;
            }
            string key;
            string value = eq < 0 ? t.Text : t.Text[(eq + 1)..];
            if (eq < 0)
            {
                if (position >= kind.Positional.Length)
                    throw Error(text, t.Start, t.Text.Length, $"{name.Text} takes {(kind.Positional.Length == 0 ? "no" : $"{kind.Positional.Length}")} positional setting(s) ({Usage(name.Text, kind)}); this one is extra");
                key = kind.Positional[position++];
            }
            else
            {
                key = t.Text[..eq].ToLowerInvariant();
                if (!kind.Positional.Contains(key) && !kind.Named.Contains(key) && kind.Flags?.Contains(key) != true)
                    throw Error(text, t.Start, eq, $"{name.Text} has no setting \"{key}\" ({Usage(name.Text, kind)})");
            }
            double v = value.ToLowerInvariant() switch { "true" => 1, "false" => 0, _ => double.NaN };
            if (double.IsNaN(v) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out v))
                throw Error(text, t.Start + (eq + 1), value.Length, $"\"{value}\" is not a number (setting {key} of {name.Text})");
            if (!args.TryAdd(key, (v, t)))
                throw Error(text, t.Start, t.Text.Length, $"{name.Text} has {key} twice");
        }
        foreach (var required in kind.Positional.Take(kind.Required < 0 ? kind.Positional.Length : kind.Required))
            if (!args.ContainsKey(required))
                throw Error(text, name.Start, tokens[^1].Start + tokens[^1].Text.Length - name.Start, $"{name.Text} needs its {required} ({Usage(name.Text, kind)})");
        return new Layer(name, args);
    }

    private static string Usage(string name, Kind kind) =>
        string.Join(" ", [name, .. kind.Positional.Select((p, i) => kind.Required < 0 || i < kind.Required ? p.ToUpperInvariant() : $"[{p.ToUpperInvariant()}]"),
            .. (kind.Flags ?? []).Select(f => $"[{f}]"), .. kind.Named.Select(n => $"[{n}=…]")]);

    private static (Module<T> Module, int[] Shape) Create<T>(Layer layer, int[] shape, RandomState rng, string text, ref long budget,
        string bound) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var at = layer.Name;
        long left = budget;
        void Spend(long values)
        {
            if (values > left)
                throw Error(text, at.Start, at.Text.Length, $"{at.Text} would hold {values:N0} values, more than the {left:N0} that {bound}");
            left -= values;
        }
        int Int(string key, int fallback, int min)
        {
            if (!layer.Args.TryGetValue(key, out var a)) return fallback;
            if (a.Value != Math.Floor(a.Value) || a.Value < min || a.Value > Limits.MaxLayerSetting)
                throw Error(text, a.Token.Start, a.Token.Text.Length,
                    $"{key} of {at.Text} must be a whole number from {min} to {Limits.MaxLayerSetting:N0} (see docs/limits.md)");
            return (int)a.Value;
        }
        double Real(string key, double fallback, double min, double max)
        {
            if (!layer.Args.TryGetValue(key, out var a)) return fallback;
            if (!(a.Value >= min && a.Value <= max))
                throw Error(text, a.Token.Start, a.Token.Text.Length, $"{key} of {at.Text} must be in [{min}, {max}]");
            return a.Value;
        }
        // A window layer's output per sample (and a convolution's unfolded input), checked before the probe allocates it.
        void Window(int channels, long unfolded, int kernel, int stride, int padding, int dilation)
        {
            long oh = Limits.WindowOutput(shape[1], kernel, stride, padding, dilation), ow = Limits.WindowOutput(shape[2], kernel, stride, padding, dilation);
            if (oh < 1 || ow < 1) return;   // the probe names the window that does not fit
            Limits.Check($"{at.Text}'s output per sample [{channels}, {oh:N0}, {ow:N0}] in values", Limits.Product(channels, oh, ow), Limits.MaxSampleValues);
            Limits.Check($"{at.Text}'s unfolded input per sample [{unfolded:N0}, {oh:N0}·{ow:N0}] in values", Limits.Product(unfolded, oh, ow), Limits.MaxSampleValues);
        }
        NablaException Wrong(string why) => Error(text, at.Start, at.Text.Length, $"{at.Text} cannot take input of shape {Shapes.Format(shape)} per sample: {why}");
        try
        {
            switch (at.Text)
            {
                case "conv":
                    if (shape.Length != 3) throw Wrong("it needs images [C, H, W] (rows of pixels need an image shape)");
                    int groups = Int("groups", 1, 1), kernel = Int("kernel", 0, 1);
                    Spend(Limits.Sum(Limits.Product(Int("out", 0, 1), shape[0] / groups, kernel, kernel), Int("bias", 1, 0) != 0 ? Int("out", 0, 1) : 0));
                    Window(Int("out", 0, 1), Limits.Product(shape[0], kernel, kernel), kernel, Int("stride", 1, 1), Int("padding", 0, 0), Int("dilation", 1, 1));
                    var conv = new Conv2d<T>(shape[0], Int("out", 0, 1), Int("kernel", 0, 1), rng, Int("stride", 1, 1), Int("padding", 0, 0),
                        Int("dilation", 1, 1), Int("groups", 1, 1), Int("bias", 1, 0) != 0);
                    return (conv, ProbeShape(conv, shape, Wrong));
                case "maxpool":
                case "avgpool":
                    if (shape.Length != 3) throw Wrong("it needs images [C, H, W]");
                    int k = Int("kernel", 0, 1);
                    Window(shape[0], 0, k, Int("stride", k, 1), Int("padding", 0, 0), 1);
                    Module<T> pool = at.Text == "maxpool" ? new MaxPool2d<T>(k, Int("stride", k, 1), Int("padding", 0, 0)) : new AvgPool2d<T>(k, Int("stride", k, 1), Int("padding", 0, 0));
                    return (pool, ProbeShape(pool, shape, Wrong));
                case "flatten":
                    return (new Flatten<T>(), [Shapes.ElementCount(shape)]);
                case "linear":
                    if (shape.Length != 1) throw Wrong("it needs flat features; put flatten before it");
                    int outF = Int("out", 0, 1);
                    Spend((long)shape[0] * outF + (Int("bias", 1, 0) != 0 ? outF : 0));
                    return (new Linear<T>(shape[0], outF, rng, bias: Int("bias", 1, 0) != 0), [outF]);
                case "dropout":
                    return (new Dropout<T>(Real("p", 0, 0, 1), rng), shape);
                case "batchnorm":
                    double momentum = Real("momentum", 0.1, 0, 1), eps = Real("eps", 1e-5, 0, 1);
                    if (shape.Length is >= 1 and <= 3) Spend(4L * shape[0] + 1);
                    return shape.Length switch
                    {
                        1 or 2 => (new BatchNorm1d<T>(shape[0], eps, momentum), shape),
                        3 => (new BatchNorm2d<T>(shape[0], eps, momentum), shape),
                        _ => throw Wrong("it needs [C], [C, L] or [C, H, W]"),
                    };
                case "layernorm":
                    Spend(2L * Shapes.ElementCount(shape));
                    return (new LayerNorm<T>(shape, Real("eps", 1e-5, 0, 1)), shape);
                case "embedding":
                    Spend((long)Int("num", 0, 1) * Int("dim", 0, 1));
                    Limits.Check($"embedding's output per sample {Shapes.Format([.. shape, Int("dim", 0, 1)])} in values",
                        Limits.Product(Shapes.ElementCount(shape), Int("dim", 0, 1)), Limits.MaxSampleValues);
                    return (new Embedding<T>(Int("num", 0, 1), Int("dim", 0, 1), rng), [.. shape, Int("dim", 0, 1)]);
                default:
                    return (Activation.Create<T>(at.Text), shape);
            }
        }
        catch (NablaException e) when (!e.Message.Contains('^'))
        {
            throw Error(text, at.Start, at.Text.Length, e.Message);
        }
        finally
        {
            budget = left;
        }
    }

    /// <summary>The per-sample output shape of a window layer, found by running it on one zero sample.</summary>
    private static int[] ProbeShape<T>(Module<T> layer, int[] shape, Func<string, NablaException> wrong) where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            using (NoGrad.Scope()) return [.. layer.Forward(Tensor<T>.Zeros([1, .. shape])).Shape.Skip(1)];
        }
        catch (NablaException e) { throw wrong(e.Message); }
    }

    private static NablaException Error(string text, int start, int length, string message)
    {
        string line = text.Replace('\n', ' ').Replace('\r', ' ');
        return new NablaException($"{message}\n  {line}\n  {new string(' ', start)}{new string('^', Math.Max(1, length))}");
    }
}
