using System.Globalization;
using Nabla.Serialization;
using Nabla.Tests.Cli;
using Nabla.Tests.IO;
using Nabla.Training;

namespace Nabla.Tests.Reliability;

/// <summary>
/// A model file that cannot compute a finite output is refused at load, naming the tensor; predictions that still come
/// out NaN or ±∞ (from the data) make predict and evaluate fail with exit 2 instead of printing them.
/// </summary>
public sealed class ModelComputesReliabilityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Train(string name, params string[] args)
    {
        var path = _dir.File(name);
        var (exit, _, error) = CliRunner.Run(["train", .. args, "--epochs", "1", "--save", path]);
        Assert.True(exit == 0, error);
        return path;
    }

    private string Edited(string source, string name, Func<SafeTensor, SafeTensor> edit)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, Files.Edit(File.ReadAllBytes(source), new Dictionary<string, string?>(), edit));
        return path;
    }

    private static SafeTensor Filled(SafeTensor t, Func<int, double, double> value)
    {
        var v = t.ToDoubleArray();
        for (int i = 0; i < v.Length; i++) v[i] = value(i, v[i]);
        return t.DType == SafeTensorDType.F32
            ? SafeTensor.FromFloats(t.Name, [.. t.Shape], Array.ConvertAll(v, d => (float)d))
            : SafeTensor.FromDoubles(t.Name, [.. t.Shape], v, t.DType);
    }

    private string Csv(string name, IReadOnlyList<string> columns, params double[][] rows)
    {
        var path = _dir.File(name);
        File.WriteAllLines(path, [string.Join(",", columns), .. rows.Select(r => string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))]);
        return path;
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void A_negative_running_variance_is_refused_at_load_naming_the_tensor(string dtype)
    {
        var good = Train("bn.safetensors", "--dataset", "shapes", "--samples", "24", "--layers", "flatten, batchnorm, linear 4", "--dtype", dtype);
        Assert.Equal(4, ModelFile.Load(good).Classes.Count);
        var bad = Edited(good, "bad.safetensors", t => t.Name == "2.running_var" ? Filled(t, (i, v) => i == 7 ? -0.5 : v) : t);
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(bad));
        Assert.Contains("tensor \"2.running_var\" holds -0.5 at element 7", e.Message);
        foreach (var command in new[] { "predict", "export" })
        {
            var (exit, output, error) = command == "predict"
                ? CliRunner.Run("predict", "--model", bad, "--data", good)
                : CliRunner.Run("export", bad, "--onnx", _dir.File("m.onnx"));
            Assert.Equal(2, exit);
            Assert.Contains("running_var", error);
            Assert.DoesNotContain("NaN", output);
        }
        Assert.False(File.Exists(_dir.File("m.onnx")));
    }

    [Fact]
    public void Float32_weights_near_the_largest_float_are_refused_at_load_naming_the_tensor()
    {
        var good = Train("m32.safetensors", "--dataset", "moons", "--samples", "40", "--hidden", "3", "--dtype", "float32");
        var bad = Edited(good, "huge.safetensors", t => t.Name == "0.weight" ? Filled(t, (_, _) => 3e38) : t);
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(bad));
        Assert.Contains("layer 0", e.Message);
        Assert.Contains("\"0.weight\"", e.Message);
        Assert.Contains("cannot give finite predictions", e.Message);
        var (exit, _, error) = CliRunner.Run("export", bad, "--onnx", _dir.File("huge.onnx"));
        Assert.Equal(2, exit);
        Assert.Contains("0.weight", error);
    }

    /// <summary>
    /// A finite model (hidden units x₁ + x₂, output h₀ − h₁) that overflows only on huge features: standardised
    /// features near 1e308 make h₀ = h₁ = ∞ and the score ∞ − ∞ = NaN.
    /// </summary>
    [Fact]
    public void Predict_and_evaluate_refuse_NaN_outputs_with_exit_2()
    {
        var good = Train("m64.safetensors", "--dataset", "moons", "--samples", "40", "--hidden", "3", "--activation", "relu");
        var model = Edited(good, "nan.safetensors", t => t.Name switch
        {
            "0.weight" => Filled(t, (_, _) => 1),
            "0.bias" or "2.bias" => Filled(t, (_, _) => 0),
            "2.weight" => Filled(t, (i, _) => i switch { 0 => 1, 1 => -1, _ => 0 }),
            _ => t,
        });
        var loaded = ModelFile.Load(model);   // finite on every ordinary row
        var rows = Csv("rows.csv", [.. loaded.Features, loaded.Target], [0.5, 0.25, 1], [1e308, 1e308, 0]);
        var predict = CliRunner.Run("predict", "--model", model, "--data", rows);
        Assert.Equal(2, predict.Exit);
        Assert.Contains("computes NaN for row 2", predict.Err);
        Assert.Equal("", predict.Out);
        var evaluate = CliRunner.Run("evaluate", "--model", model, "--data", rows);
        Assert.Equal(2, evaluate.Exit);
        Assert.Contains("computes NaN for row 2", evaluate.Err);
        Assert.DoesNotContain("accuracy", evaluate.Out);
        var ordinary = Csv("ordinary.csv", [.. loaded.Features, loaded.Target], [0.5, 0.25, 1]);
        Assert.Equal(0, CliRunner.Run("predict", "--model", model, "--data", ordinary).Exit);
    }
}
