using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nabla.Data;
using Nabla.IO;
using Nabla.Losses;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>
/// A character-level language model: a network built from an <see cref="Nn.Architecture.BuildText{T}(string, int, int, RandomState)"/> description,
/// the <see cref="CharVocabulary"/> it reads and writes, and its context (the longest window it reads). Its input is
/// [B, T] token ids with 1 ≤ T ≤ <see cref="Context"/>, its output [B, T, V] logits: row t scores the token after
/// position t. Saved as a safetensors file of the network's state dict whose metadata holds the description, the
/// vocabulary and the context, so the file alone rebuilds the model.
/// </summary>
public sealed class TextModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private TextModel(Sequential<T> network, CharVocabulary vocabulary, int context, string architecture, long valuesPerWindow)
    {
        Network = network; Vocabulary = vocabulary; Context = context; Architecture = architecture; ValuesPerWindow = valuesPerWindow;
    }

    /// <summary>The values one window of <see cref="Context"/> tokens computes, summed over the layers (bounds a batch's memory).</summary>
    internal long ValuesPerWindow { get; }

    /// <summary>The network: [B, T] ids in, [B, T, V] logits out.</summary>
    public Sequential<T> Network { get; }

    /// <summary>The characters the model reads and writes, id = position in code-point order.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>The longest window the model reads (positional embeddings are sized to it).</summary>
    public int Context { get; }

    /// <summary>The description the network was built from.</summary>
    public string Architecture { get; }

    /// <summary>A new model described by <paramref name="architecture"/>, its parameters drawn from <paramref name="rng"/>.</summary>
    public static TextModel<T> Create(string architecture, CharVocabulary vocabulary, int context, RandomState rng)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var network = Nn.Architecture.BuildText<T>(architecture, vocabulary.Size, context, rng, long.MaxValue, out long perWindow);
        return new(network, vocabulary, context, architecture, perWindow);
    }

    /// <summary>
    /// The logits [B, T, V] of <paramref name="ids"/> [B, T]. Refused: another rank, T = 0 or T &gt; <see cref="Context"/>,
    /// an id outside [0, V).
    /// </summary>
    public Tensor<T> Forward(IndexTensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2 || ids.Shape[1] < 1)
            throw new NablaArgumentException(nameof(ids), $"TextModel.Forward: ids have shape {Shapes.Format([.. ids.Shape])}; expected [batch, length] with length ≥ 1");
        if (ids.Shape[1] > Context)
            throw new NablaArgumentException(nameof(ids), $"TextModel.Forward: a window of {ids.Shape[1]} tokens is longer than the model's context of {Context}");
        var span = ids.AsReadOnlySpan();
        var values = new T[span.Length];
        for (int i = 0; i < span.Length; i++)
        {
            if ((uint)span[i] >= (uint)Vocabulary.Size)
                throw new NablaArgumentException(nameof(ids), $"TextModel.Forward: id {span[i]} at position {i} is outside the vocabulary [0, {Vocabulary.Size})");
            values[i] = T.CreateTruncating(span[i]);
        }
        return Network.Forward(Tensor<T>.FromArray(values, ids.Shape[0], ids.Shape[1]));
    }

    /// <summary>
    /// The cross-entropy of the next-token predictions over every position of <paramref name="inputs"/> [B, T] against
    /// <paramref name="targets"/> [B, T] (the inputs shifted by one): the mean, or with <see cref="Reduction.Sum"/> the sum,
    /// of −log softmax(logits[b, t])[targets[b, t]].
    /// </summary>
    public Tensor<T> Loss(IndexTensor inputs, IndexTensor targets, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var logits = Forward(inputs);
        if (!targets.Shape.SequenceEqual(inputs.Shape))
            throw new NablaArgumentException(nameof(targets), $"TextModel.Loss: targets of shape {Shapes.Format([.. targets.Shape])} for inputs of shape {Shapes.Format([.. inputs.Shape])}");
        return Tensor<T>.CrossEntropy(logits.Reshape(targets.ElementCount, Vocabulary.Size), targets.AsReadOnlySpan(), reduction);
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically: state dict, description, vocabulary, context, dtype.</summary>
    public void Save(string path)
    {
        var characters = Enumerable.Range(0, Vocabulary.Size).Select(id => Vocabulary[id]).ToList();
        var metadata = new Dictionary<string, string>
        {
            ["nabla.kind"] = TextModelFile.Kind,
            ["nabla.version"] = "1",
            ["nabla.architecture"] = Architecture,
            ["nabla.vocabulary"] = JsonSerializer.Serialize<IReadOnlyList<string>>(characters, Training.NablaJsonContext.Default.IReadOnlyListString),
            ["nabla.context"] = Context.ToString(CultureInfo.InvariantCulture),
            ["nabla.dtype"] = typeof(T) == typeof(float) ? "float32" : "float64",
        };
        SafetensorsFile.Save(path, StateDicts.ToSafeTensors(Network.StateDict()), metadata);
    }

    /// <summary>
    /// Reads a model <see cref="Save"/> wrote (in either dtype; the tensors convert to <typeparamref name="T"/>), in
    /// evaluation mode. Every problem is an error naming the file: not a text model, a bad vocabulary or context, a
    /// description that does not build, tensors that do not match it. The description may not claim more values than
    /// the file's tensors hold, so a small file cannot ask for a huge allocation.
    /// </summary>
    public static TextModel<T> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new NablaException($"{path}: file not found");
        var file = SafetensorsFile.Load(path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v) ? v
            : throw new NablaException($"{path}: not a Nabla text model (its metadata has no \"{key}\")");
        if (Meta("nabla.kind") != TextModelFile.Kind)
            throw new NablaException($"{path}: a {Excerpt.Of(Meta("nabla.kind"))} file, not a text model (one trained on text)");
        if (Meta("nabla.version") != "1") throw new NablaException($"{path}: text model format version {Excerpt.Of(Meta("nabla.version"))} is not supported (this Nabla reads version 1)");
        if (!int.TryParse(Meta("nabla.context"), NumberStyles.None, CultureInfo.InvariantCulture, out int context) || context < 1 || context > 1 << 20)
            throw new NablaException($"{path}: metadata \"nabla.context\" is \"{Excerpt.Of(Meta("nabla.context"))}\", not a whole number from 1 to {1 << 20}");
        var vocabulary = VocabularyOf(path, Meta("nabla.vocabulary"));
        string architecture = Meta("nabla.architecture");
        var tensors = file.Names.Select(n => file.Tensors[n]).ToList();
        Sequential<T> network;
        long perWindow;
        try
        {
            network = Nn.Architecture.BuildText<T>(architecture, vocabulary.Size, context, new RandomState(0), tensors.Sum(t => (long)t.ElementCount), out perWindow);
            network.LoadStateDict(StateDicts.FromSafeTensors<T>(tensors));
        }
        catch (NablaException e) { throw new NablaException($"{path}: metadata \"nabla.architecture\": {e.Message}", e); }
        network.Eval();
        var model = new TextModel<T>(network, vocabulary, context, architecture, perWindow);
        model.CheckComputes(path);
        return model;
    }

    /// <summary>
    /// Refuses a model that cannot give finite logits: a NaN or ±∞ in the state (naming the tensor and element), or a
    /// probe that overflows (float32 weights near 3e38, a huge positional row): every character of the vocabulary at
    /// every position of a full window, the first layer whose output is not finite named with its largest value.
    /// </summary>
    private void CheckComputes(string path)
    {
        foreach (var (name, tensor) in Network.StateDict())
        {
            var values = tensor.ToArray();
            int bad = Array.FindIndex(values, v => !T.IsFinite(v));
            if (bad >= 0)
                throw new NablaException($"{path}: tensor \"{name}\" holds {values[bad].ToString(null, CultureInfo.InvariantCulture)} at element {bad}; a model with non-finite weights cannot generate (retrain it)");
        }
        // Row r holds character (r + t) mod V at position t: each character meets each position in one of V rows
        // (fewer rows when the vocabulary is larger than what a probe of MaxSampleValues may compute).
        int rows = (int)Math.Clamp(Limits.MaxSampleValues / Math.Max(1, ValuesPerWindow), 1, Vocabulary.Size);
        var ids = new T[rows * Context];
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < Context; t++) ids[r * Context + t] = T.CreateTruncating((r + t) % Vocabulary.Size);
        var x = Tensor<T>.FromArray(ids, rows, Context);
        using var _ = NoGrad.Scope();
        foreach (var (name, layer) in Network.Children())
        {
            x = layer.Forward(x);
            var output = x.ToArray();
            int bad = Array.FindIndex(output, v => !T.IsFinite(v));
            if (bad < 0) continue;
            var largest = layer.StateDict().Select(kv => (Name: $"{name}.{kv.Key}", Max: kv.Value.ToArray().Select(v => double.Abs(double.CreateChecked(v))).DefaultIfEmpty(0).Max()))
                .OrderByDescending(t => t.Max).FirstOrDefault();
            string culprit = largest.Name is null ? "it holds no tensors" : $"its largest value is {largest.Max.ToString("R", CultureInfo.InvariantCulture)} in tensor \"{largest.Name}\"";
            throw new NablaException($"{path}: layer {name} ({layer}) computes {output[bad].ToString(null, CultureInfo.InvariantCulture)} on a window of the vocabulary's characters, " +
                $"so the model cannot give finite predictions; {culprit} (retrain it)");
        }
    }

    private static CharVocabulary VocabularyOf(string path, string json)
    {
        List<string>? list;
        try { list = JsonSerializer.Deserialize(json, Training.NablaJsonContext.Default.ListString); }
        catch (JsonException) { list = null; }
        if (list is null || list.Count == 0 || list.Any(c => c is null || CharVocabulary.CountCharacters(c) != 1))
            throw new NablaException($"{path}: metadata \"nabla.vocabulary\" is not a JSON list of single characters: {Excerpt.Of(json)}");
        string characters = string.Concat(list);
        CharVocabulary vocabulary;
        try { vocabulary = CharVocabulary.Of(characters); }
        catch (NablaException e) { throw new NablaException($"{path}: metadata \"nabla.vocabulary\": {e.Message}", e); }
        // Distinct and in code-point order: then id i is the file's character i, as it was in training.
        if (vocabulary.Decode(Enumerable.Range(0, vocabulary.Size).ToArray()) != characters)
            throw new NablaException($"{path}: metadata \"nabla.vocabulary\" repeats a character or is not in code-point order");
        return vocabulary;
    }
}

/// <summary>What tells a text model's file from other Nabla files.</summary>
public static class TextModelFile
{
    /// <summary>The value of the <c>nabla.kind</c> metadata in a text model's file.</summary>
    public const string Kind = "text-model";

    /// <summary>True when <paramref name="path"/> is a safetensors file whose metadata says it holds a text model.</summary>
    public static bool IsTextModel(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) return false;
        try { return SafetensorsFile.Load(path).Metadata.TryGetValue("nabla.kind", out var kind) && kind == Kind; }
        catch (NablaException) { return false; }
    }

    /// <summary>The element type the file's model was trained in, "float32" or "float64" (float64 when unstated).</summary>
    public static string DTypeOf(string path) =>
        SafetensorsFile.Load(path).Metadata.TryGetValue("nabla.dtype", out var dtype) && dtype == "float32" ? "float32" : "float64";
}
