using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Tests.Cli;
using Nabla.Tests.IO;
using Nabla.Tests.Training;
using Nabla.Training;

namespace Nabla.Tests.Onnx;

/// <summary>
/// Text models (<c>nabla train --text</c>) export to ONNX files that ONNX Runtime runs, on token ids of any batch and
/// any length up to the context, to the logits Nabla computes.
/// </summary>
public sealed class OnnxTextExportTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Corpus()
    {
        string path = _dir.File("corpus.txt");
        var words = new[] { "the", "cat", "sat", "on", "a", "mat", "and", "ran", "to", "dog" };
        File.WriteAllText(path, string.Join("\n", Enumerable.Range(0, 60).Select(i => string.Join(" ", Enumerable.Range(0, 5).Select(j => words[(i * 7 + j * 3) % words.Length])))) + "\n");
        return path;
    }

    // Every text layer, with and without biases; a few training steps make the biases and norms differ from their start.
    public static TheoryData<string, string> Models()
    {
        string[] layers =
        [
            "embedding 16, posembed, gptblock 4, gptblock 2 bias=0, layernorm, linear tied",
            "embedding 12, posembed, dropout 0.1, gptblock 3 dropout=0.1, layernorm, linear tied bias=1",
            "embedding 8, lstm 12 layers=2, linear",
            "embedding 8, gru 12 layers=2 bias=0, relu, linear bias=0",
            "embedding 8, rnn 12, tanh, linear 10, sigmoid, layernorm, softmax, sin, linear",
        ];
        var data = new TheoryData<string, string>();
        foreach (string l in layers)
            foreach (string dtype in new[] { "float32", "float64" }) data.Add(l, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void OnnxRuntime_gives_the_models_logits_for_any_batch_and_length(string layers, string dtype)
    {
        string model = _dir.File("lm.safetensors"), onnx = _dir.File("lm.onnx");
        var train = CliRunner.Run("train", "--text", Corpus(), "--context", "8", "--layers", layers, "--epochs", "1", "--steps-per-epoch", "3",
            "--batch-size", "4", "--lr", "0.01", "--dtype", dtype, "--save", model);
        Assert.True(train.Exit == 0, train.Err);
        var export = CliRunner.Run("export", model, "--onnx", onnx);
        Assert.True(export.Exit == 0, export.Err);
        // ONNX Runtime has no float64 Erf, LSTM, GRU or RNN kernel: a float64 graph runs those in float32 (see OnnxTextGraph).
        double tolerance = dtype == "float32" ? 1e-4 : 1e-5;
        using var session = new InferenceSession(onnx);
        if (dtype == "float32") Compare(TextModel<float>.Load(model), session, tolerance);
        else Compare(TextModel<double>.Load(model), session, tolerance);
    }

    private static void Compare<T>(TextModel<T> model, InferenceSession session, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new RandomState(7);
        int v = model.Vocabulary.Size;
        foreach (var (b, t) in new[] { (3, 5), (1, 1), (2, model.Context) })
        {
            var ids = Enumerable.Range(0, b * t).Select(_ => (long)rng.RandInt(v)).ToArray();
            var input = IndexTensor.Zeros(b, t);
            for (int i = 0; i < ids.Length; i++) input.AsSpan()[i] = (int)ids[i];
            double[] expected;
            using (NoGrad.Scope()) expected = Array.ConvertAll(model.Forward(input).ToArray(), double.CreateChecked);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("ids", new DenseTensor<long>(ids, [b, t]))]);
            var output = results.Single(r => r.Name == "logits");
            double[] actual = typeof(T) == typeof(float)
                ? [.. output.AsTensor<float>().Select(x => (double)x)]
                : [.. output.AsTensor<double>()];
            int[] dims = typeof(T) == typeof(float) ? output.AsTensor<float>().Dimensions.ToArray() : output.AsTensor<double>().Dimensions.ToArray();
            Assert.Equal([b, t, v], dims);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                    $"{model.Architecture}, ids [{b}, {t}], logit {i}: onnx {actual[i]:R}, nabla {expected[i]:R}, tolerance {tolerance} relative");
        }
    }

    [Fact]
    public void A_tied_head_stores_the_embedding_once()
    {
        string model = _dir.File("lm.safetensors"), onnx = _dir.File("lm.onnx");
        Assert.Equal(0, CliRunner.Run("train", "--text", Corpus(), "--context", "8", "--layers", "embedding 16, posembed, gptblock 4, layernorm, linear tied",
            "--epochs", "1", "--steps-per-epoch", "1", "--save", model).Exit);
        Assert.Equal(0, CliRunner.Run("export", model, "--onnx", onnx).Exit);
        // The table's float32 bytes occur once in the file: the head transposes the embedding's constant, no copy.
        byte[] table = System.Runtime.InteropServices.MemoryMarshal.AsBytes(TextModel<float>.Load(model).Network.StateDict()["0.weight"].ToArray().AsSpan()).ToArray();
        byte[] file = File.ReadAllBytes(onnx);
        int count = 0;
        for (int from = 0, at; (at = file.AsSpan(from).IndexOf(table)) >= 0; from += at + 1) count++;
        Assert.Equal(1, count);
    }

    [Fact]
    public void The_onnx_checker_accepts_exported_text_models()
    {
        if (!Python.Has("onnx"))
        {
            Assert.Skip("/usr/bin/python3 with onnx is not installed (apt-get install python3-onnx), so the ONNX checker did not run.");
        }
        foreach (var (layers, dtype) in new[] { ("embedding 16, posembed, gptblock 4, layernorm, linear tied", "float64"), ("embedding 8, lstm 8, gru 8, rnn 8, linear", "float32") })
        {
            string model = _dir.File($"lm-{dtype}.safetensors"), onnx = _dir.File($"lm-{dtype}.onnx");
            Assert.Equal(0, CliRunner.Run("train", "--text", Corpus(), "--context", "8", "--layers", layers, "--epochs", "1", "--steps-per-epoch", "1",
                "--dtype", dtype, "--save", model).Exit);
            Assert.Equal(0, CliRunner.Run("export", model, "--onnx", onnx).Exit);
            string printed = Python.Run("-c", "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
                + "print(sorted({n.op_type for n in m.graph.node}))", onnx);
            foreach (var op in layers.Contains("gptblock", StringComparison.Ordinal)
                ? new[] { "Gather", "LayerNormalization", "MatMul", "Softmax", "Erf", "Split" } : ["Gather", "LSTM", "GRU", "RNN"])
                Assert.Contains($"'{op}'", printed);
        }
    }
}
