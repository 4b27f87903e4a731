using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.Cli;
using Nabla.Tests.Reliability;
using Nabla.Training;

namespace Nabla.Tests.Fuzzing;

/// <summary>
/// Fixed-seed, bounded campaigns over the language-model inputs: text <c>--layers</c> descriptions, <c>train --text</c>
/// corpora and settings, text model files of every architecture (LSTM, GRU, RNN, GPT) with damaged metadata and
/// weights, and <c>generate</c> arguments. Each input must give a valid result or a clean error (a NablaException, or
/// exit 2 with one line); an escape, exit 70, a NaN printed with exit 0 or an allocation past the budget fails.
/// </summary>
[Trait("Category", "Fuzz")]
public class LanguageFuzzTests
{
    private static readonly Gen<string> Size = Gen.Frequency(
        (8, Gen.Choose(1, 6).Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Elements("0", "-1", "2.5", "4096", "65536", "1048576", "1048577", "2147483647", "1e9", "x")));

    private static readonly Gen<string> TextLayer = Gen.OneOf(
        from kind in Gen.Elements("lstm", "gru", "rnn") from h in Size select $"{kind} {h}",
        from kind in Gen.Elements("lstm", "gru", "rnn") from h in Size from key in Gen.Elements("layers", "dropout", "bias") from v in Size
        select $"{kind} {h} {key}={v}",
        Gen.Constant("posembed"),
        from h in Size select $"gptblock {h}",
        from h in Size from b in Gen.Elements("bias=0", "bias=1", "dropout=0.5", "dropout=2") select $"gptblock {h} {b}",
        Gen.Elements("linear", "linear tied", "linear tied bias=1", "layernorm", "layernorm eps=0", "dropout 0.3", "relu", "tanh", "softmax", "conv 2 3",
            "flatten", "embedding 4"),
        from o in Size select $"linear {o}",
        from o in Size select $"linear {o} tied");

    /// <summary>Mostly "embedding D, …, linear": the last layer outputs the vocabulary often enough for models to build.</summary>
    private static readonly Gen<string> TextDescriptions =
        from first in Gen.Frequency((9, Size.Select(d => $"embedding {d}")), (1, TextLayer))
        from middle in Gen.Choose(0, 3).SelectMany(n => TextLayer.ListOf(n))
        from last in Gen.Elements("linear", "linear", "linear tied", "", "layernorm")
        select string.Join(", ", new[] { first }.Concat(middle).Append(last).Where(s => s.Length > 0));

    private static readonly Gen<int> Context = Gen.Frequency((8, Gen.Choose(1, 8)), (1, Gen.Elements(0, 4096, 65536, 1 << 20)));

    [Fact]
    public void Text_layer_descriptions_build_a_model_whose_logits_are_finite_or_are_refused_cleanly()
    {
        var gen = from d in TextDescriptions from v in Gen.Choose(1, 6) from c in Context from b in Gen.Choose(1, 3) select (Layers: d, Vocabulary: v, Context: c, Batch: b);
        var stats = Fuzz.Run("text --layers", gen, 300, seed: 51, d =>
        {
            var network = Architecture.BuildText<float>(d.Layers, d.Vocabulary, d.Context, new RandomState(0));
            int t = Math.Min(d.Context, 6);
            var ids = new float[d.Batch * t];
            for (int i = 0; i < ids.Length; i++) ids[i] = i * 7 % d.Vocabulary;
            network.Eval();
            using var _ = NoGrad.Scope();
            var y = network.Forward(Tensor<float>.FromArray(ids, d.Batch, t));
            return y.Shape.SequenceEqual([d.Batch, t, d.Vocabulary]) && y.ToArray().All(float.IsFinite) ? Outcome.Valid : Outcome.WrongResult;
        }, d => $"{d.Layers} over {d.Vocabulary} characters, context {d.Context}", allocationBudget: 600_000_000);
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    /// <summary>Corpora a user may give: empty, binary, invalid UTF-8, one character, a long line, text beyond the BMP.</summary>
    private static readonly Gen<byte[]> Corpora = Gen.OneOf(
        Gen.Elements<byte[]>([], [0xEF, 0xBB, 0xBF], "\0abc"u8.ToArray(), [0x61, 0xFF, 0x62], [0x61, 0xC3], [0xC0, 0x80, 0x61], [0xED, 0xA0, 0x80, 0x61],
            "a"u8.ToArray(), "ab"u8.ToArray(), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"u8.ToArray()),
        from n in Gen.Choose(2, 300) from alphabet in Gen.Elements("ab", "abc\n", "x y\r\n", "é€😀a", "\t ~")
        select Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, n).Select(i => alphabet.EnumerateRunes().ElementAt(i * 7919 % alphabet.EnumerateRunes().Count()).ToString()))),
        from n in Gen.Elements(20_000, 100_000) select Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("the cat sat ", n / 12))));

    private static readonly Gen<string> SmallOrExtreme = Gen.Frequency(
        (6, Gen.Choose(1, 4).Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Elements("0", "-1", "65536", "65537", "1000000", "2147483647", "x")));

    /// <summary>Small text models, so that accepted runs take moments, or layers the limits must refuse.</summary>
    private static readonly Gen<string?> CliTextLayers = Gen.Frequency(
        (1, Gen.Constant<string?>(null)),
        (3, from kind in Gen.Elements("lstm", "gru", "rnn", "gptblock") from h in Gen.Elements("1", "2", "4", "1048576")
            from tail in Gen.Elements("linear", "linear tied", "layernorm, linear")
            select (string?)$"embedding 4, {(kind == "gptblock" ? "posembed, " : "")}{kind} {h}, {tail}"));

    private static readonly Gen<string[]> TrainArguments =
        from context in SmallOrExtreme
        from batch in SmallOrExtreme
        from steps in Gen.Frequency((5, Gen.Constant("1")), (1, Gen.Elements("0", "2", "-3")))
        from validation in Gen.Elements<string?>(null, null, "0", "0.5", "0.99", "1", "-0.1", "NaN")
        from layers in CliTextLayers
        from dtype in Gen.Elements("float32", "float64")
        select (string[])["--context", context, "--batch-size", batch, "--steps-per-epoch", steps, "--dtype", dtype,
            .. validation is null ? Array.Empty<string>() : ["--validation", validation], .. layers is null ? Array.Empty<string>() : ["--layers", layers]];

    [Fact]
    public void The_train_command_on_a_text_corpus_never_exits_70_nor_prints_NaN()
    {
        using var dir = new IO.TempDirectory();
        var gen = from corpus in Corpora from args in TrainArguments select (Corpus: corpus, Args: args);
        var stats = Fuzz.Run("train --text", gen, 30, seed: 52, input =>
        {
            var path = dir.File("corpus.txt");
            File.WriteAllBytes(path, input.Corpus);
            var (exit, output, error) = CliRunner.Run(["train", "--text", path, "--epochs", "1", .. input.Args]);
            if (exit is not (0 or 2) || error.Contains("internal error") || (exit == 0 && output.Contains("NaN"))) return Outcome.WrongResult;
            return exit == 0 ? Outcome.Valid : Outcome.CleanError;
        }, input => $"{input.Corpus.Length} bytes {Convert.ToHexString(input.Corpus.AsSpan(0, Math.Min(12, input.Corpus.Length)))}; {string.Join(" ", input.Args)}",
            allocationBudget: 800_000_000);
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    private static readonly string Corpus = "the quick brown fox jumps over the lazy dog\nTHE QUICK BROWN FOX, 0123456789!\n";

    /// <summary>One small trained text model per architecture, float32 and float64 alternating.</summary>
    private static readonly Lazy<byte[][]> Models = new(() =>
    {
        string[][] runs =
        [
            ["--layers", "embedding 4, lstm 6, linear", "--dtype", "float32"],
            ["--layers", "embedding 4, gru 5 layers=2, layernorm, linear"],
            ["--layers", "embedding 4, rnn 3 bias=0, tanh, linear 5, relu, linear", "--dtype", "float32"],
            ["--layers", "embedding 8, posembed, gptblock 2, gptblock 4 bias=0, layernorm, linear tied"],
        ];
        using var dir = new IO.TempDirectory();
        var text = dir.File("corpus.txt");
        File.WriteAllText(text, Corpus);
        return [.. runs.Select((args, i) =>
        {
            var path = dir.File($"lm{i}.safetensors");
            var (exit, _, error) = CliRunner.Run(["train", "--text", text, "--context", "8", "--epochs", "1", "--steps-per-epoch", "2", "--batch-size", "2", .. args, "--save", path]);
            Assert.True(exit == 0, error);
            return File.ReadAllBytes(path);
        })];
    });

    private static readonly string[] MetaKeys = ["nabla.architecture", "nabla.vocabulary", "nabla.context", "nabla.dtype", "nabla.kind", "nabla.version"];

    private static readonly string[] MetaValues =
        ["", "embedding 4, lstm 6, linear", "embedding 8, gptblock 2, linear", "embedding 4, linear", "embedding 1048576, linear", "embedding 4, posembed, linear",
         "lstm 4, linear", "embedding 4, gptblock 3, linear", "conv 2 3", "[]", "[\"a\"]", "[\"a\",\"b\"]", "[\"b\",\"a\"]", "[\"a\",\"a\"]", "[\"ab\"]", "[null]",
         "[\"\\ud800\"]", "[\"\\n\",\" \",\"a\"]", "null", "{}", "0", "1", "2", "7", "8", "9", "65536", "1048576", "1048577", "-1", "1e3", "float32", "float64",
         "text-model", "model", "checkpoint"];

    private static readonly Gen<(string Key, string? Value)[]> MetadataEdits =
        Gen.Elements(MetaKeys).SelectMany(k => Gen.Frequency((9, Gen.Elements(MetaValues).Select(v => (string?)v)), (1, Gen.Constant<string?>(null)))
            .Select(v => (k, v))).ListOf().Select(l => l.Take(2).ToArray());

    private static readonly Gen<(int Model, (string Key, string? Value)[] Edits, int Tensor, int Element, double Value, int Change)> Damage =
        from model in Gen.Choose(0, 3)
        from edits in Gen.Frequency((1, MetadataEdits), (2, Gen.Constant(Array.Empty<(string, string?)>())))
        from tensor in Gen.Choose(0, 40)
        from element in Gen.Choose(0, 1000)
        from value in Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 3e38, -3e38, 1e300, 1e30, 1e19, -1, 0, 1)
        from change in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(1, 5)))
        select (model, edits, tensor, element, value, change);

    /// <summary>
    /// The tensor with one change: an element set (0), its shape reversed (1) or given a leading 1 (2), its bytes read
    /// as U8 (3) or as the other float width (4), or a new name (5).
    /// </summary>
    private static SafeTensor Change(SafeTensor t, int change, int element, double value)
    {
        int[] shape = [.. t.Shape];
        switch (change)
        {
            case 1: return new SafeTensor(t.Name, t.DType, [.. shape.Reverse()], t.Data.ToArray());
            case 2: return new SafeTensor(t.Name, t.DType, [1, .. shape], t.Data.ToArray());
            case 3: return new SafeTensor(t.Name, SafeTensorDType.U8, [t.Data.Length], t.Data.ToArray());
            case 4: return SafeTensor.FromDoubles(t.Name, shape, t.ToDoubleArray(), t.DType == SafeTensorDType.F32 ? SafeTensorDType.F64 : SafeTensorDType.F32);
            case 5: return new SafeTensor(t.Name + ".x", t.DType, shape, t.Data.ToArray());
        }
        if (t.ElementCount == 0 || t.DType is not (SafeTensorDType.F32 or SafeTensorDType.F64)) return t;
        var v = t.ToDoubleArray();
        v[element % v.Length] = value;
        return t.DType == SafeTensorDType.F32 ? SafeTensor.FromFloats(t.Name, shape, Array.ConvertAll(v, x => (float)x)) : SafeTensor.FromDoubles(t.Name, shape, v, t.DType);
    }

    [Fact]
    public void Damaged_text_model_files_load_only_when_they_compute_finite_logits()
    {
        var models = Models.Value;
        using var dir = new IO.TempDirectory();
        var stats = Fuzz.Run("text models", Damage, 150, seed: 53, d =>
        {
            var source = SafetensorsFile.Parse(models[d.Model], "model");
            string name = source.Names[d.Tensor % source.Names.Count];
            var bytes = Files.Edit(models[d.Model], d.Edits.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value),
                t => t.Name != name ? t : Change(t, d.Change, d.Element, d.Value));
            var path = dir.File("lm.safetensors");
            File.WriteAllBytes(path, bytes);
            var model = TextModel<double>.Load(path);
            // Every character at every position of a full window: the logits must be finite, [1, T, V].
            int t = Math.Min(model.Context, 64), v = model.Vocabulary.Size;
            var ids = IndexTensor.FromArray([.. Enumerable.Range(0, t).Select(i => i % v)], 1, t);
            using var _ = NoGrad.Scope();
            var logits = model.Forward(ids);
            return logits.Shape.SequenceEqual([1, t, v]) && logits.ToArray().All(double.IsFinite) ? Outcome.Valid : Outcome.WrongResult;
        }, d => $"model {d.Model}, {string.Join("; ", d.Edits.Select(e => $"{e.Key}={e.Value ?? "(removed)"}"))}, tensor #{d.Tensor}, change {d.Change}, element {d.Element} = {d.Value:R}",
            allocationBudget: 600_000_000);
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    private static readonly Gen<string[]> GenerateArguments =
        from prompt in Gen.Elements("", "the ", "q", "Z", "\u00e9", "😀", "\ud800", "the quick brown fox jumps over the lazy dog the quick brown fox", "\n\n")
        from tokens in Gen.Elements("0", "1", "5", "-1", "1000001", "x")
        from temperature in Gen.Elements("0", "0.8", "1e-300", "1e300", "-1", "NaN", "Infinity")
        from topK in Gen.Elements<string?>(null, "1", "3", "1000000", "0", "-2")
        from seed in Gen.Elements("0", "4294967295", "-1")
        select (string[])["--prompt", prompt, "--tokens", tokens, "--temperature", temperature, "--seed", seed, .. topK is null ? Array.Empty<string>() : ["--top-k", topK]];

    [Fact]
    public void The_generate_command_writes_only_vocabulary_characters_or_refuses_cleanly()
    {
        var models = Models.Value;
        using var dir = new IO.TempDirectory();
        var paths = models.Select((m, i) => { var p = dir.File($"lm{i}.safetensors"); File.WriteAllBytes(p, m); return p; }).ToArray();
        var gen = from model in Gen.Choose(0, models.Length - 1) from args in GenerateArguments select (Model: model, Args: args);
        var stats = Fuzz.Run("generate", gen, 150, seed: 54, input =>
        {
            var (exit, output, error) = CliRunner.Run(["generate", "--model", paths[input.Model], .. input.Args]);
            if (exit is not (0 or 2) || error.Contains("internal error")) return Outcome.WrongResult;
            if (exit == 2) return error.Trim().Length > 0 ? Outcome.CleanError : Outcome.WrongResult;
            // The prompt, then only characters of the corpus the model was trained on.
            string prompt = input.Args[1];
            return output.StartsWith(prompt, StringComparison.Ordinal) && output[prompt.Length..].TrimEnd('\n').All(c => Corpus.Contains(c))
                ? Outcome.Valid : Outcome.WrongResult;
        }, input => $"model {input.Model}: {string.Join(" ", input.Args)}");
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }
}
