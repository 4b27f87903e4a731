using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nabla.Tests.Cli;
using Nabla.Tests.Training;

namespace Nabla.Tests.Onnx;

/// <summary>
/// An exported model means the same thing in ONNX Runtime as in Nabla: train with the CLI, predict rows the model
/// never saw with <c>nabla predict</c>, export with <c>nabla export</c>, run the file in ONNX Runtime on the same
/// rows, and compare every probability, label and value.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-onnx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData("ce", 3, "float32", "relu")]
    [InlineData("ce", 3, "float64", "tanh")]
    [InlineData("ce", 2, "float32", "sin")]
    [InlineData("bce", 2, "float32", "sigmoid")]
    [InlineData("bce", 2, "float64", "relu")]
    [InlineData("hinge", 2, "float64", "sin")]
    [InlineData("mse", 0, "float32", "tanh")]
    [InlineData("mse", 0, "float64", "sigmoid")]
    public void OnnxRuntime_gives_what_nabla_predict_gives_on_unseen_rows(string loss, int classes, string dtype, string activation)
    {
        WriteCsv(P("train.csv"), rows: 240, classes, seed: 1);
        WriteCsv(P("unseen.csv"), rows: 50, classes, seed: 2);
        var train = CliRunner.Run("train", "--data", P("train.csv"), "--target", "y", "--loss", loss, "--dtype", dtype,
            "--activation", activation, "--hidden", "8,6", "--epochs", "15", "--save", P("m.safetensors"));
        Assert.True(train.Exit == 0, train.Err);
        var predict = CliRunner.Run("predict", "--model", P("m.safetensors"), "--data", P("unseen.csv"));
        Assert.True(predict.Exit == 0, predict.Err);
        var export = CliRunner.Run("export", P("m.safetensors"), "--onnx", P("m.onnx"));
        Assert.True(export.Exit == 0, export.Err);

        var expected = predict.Out.TrimEnd('\n').Split('\n').Select(l => l.Split(',')).ToArray();
        var features = ReadFeatures(P("unseen.csv"));
        int n = features.Length / 3;
        using var session = new InferenceSession(P("m.onnx"));
        NamedOnnxValue input = dtype == "float32"
            ? NamedOnnxValue.CreateFromTensor("features", new DenseTensor<float>(features.Select(v => (float)v).ToArray(), [n, 3]))
            : NamedOnnxValue.CreateFromTensor("features", new DenseTensor<double>(features, [n, 3]));
        using var results = session.Run([input]);
        double tolerance = dtype == "float32" ? 1e-5 : 1e-12;

        if (loss == "mse")
        {
            Assert.Equal(["prediction"], expected[0]);
            var values = Numbers(results.Single(r => r.Name == "prediction"), dtype);
            Assert.Equal(n, values.Length);
            for (int r = 0; r < n; r++)
            {
                double want = double.Parse(expected[r + 1][0], CultureInfo.InvariantCulture);
                // Relative: the value is in the target's units (here around 50).
                Assert.True(Math.Abs(values[r] - want) <= tolerance * Math.Max(1, Math.Abs(want)), $"row {r}: onnx {values[r]}, predict {want}");
            }
            return;
        }
        int k = expected[0].Length - 1;
        Assert.Equal(Math.Max(classes, 2), k);
        var probabilities = Numbers(results.Single(r => r.Name == "probabilities"), dtype);
        var labels = results.Single(r => r.Name == "label").AsTensor<string>().ToArray();
        Assert.Equal(n * k, probabilities.Length);
        Assert.Equal(n, labels.Length);
        for (int r = 0; r < n; r++)
        {
            Assert.Equal(expected[r + 1][0], labels[r]);
            for (int c = 0; c < k; c++)
            {
                double want = double.Parse(expected[r + 1][c + 1], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(probabilities[r * k + c] - want) <= tolerance, $"row {r} {expected[0][c + 1]}: onnx {probabilities[r * k + c]}, predict {want}");
            }
        }
    }

    [Fact]
    public void The_onnx_checker_accepts_the_exported_files()
    {
        if (!Python.Has("onnx"))
        {
            Assert.Skip("/usr/bin/python3 with onnx is not installed (apt-get install python3-onnx), so the ONNX checker did not run.");
        }
        foreach (var (loss, classes, dtype) in new[] { ("ce", 3, "float32"), ("bce", 2, "float64"), ("mse", 0, "float32") })
        {
            WriteCsv(P("train.csv"), rows: 100, classes, seed: 1);
            Assert.Equal(0, CliRunner.Run("train", "--data", P("train.csv"), "--target", "y", "--loss", loss, "--dtype", dtype,
                "--epochs", "2", "--save", P("m.safetensors")).Exit);
            Assert.Equal(0, CliRunner.Run("export", P("m.safetensors"), "--onnx", P("m.onnx")).Exit);
            // full_check also runs strict shape inference over every node.
            string printed = Python.Run("-c", "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
                + "print(m.graph.input[0].name, [o.name for o in m.graph.output])", P("m.onnx"));
            Assert.Contains(loss == "mse" ? "['prediction']" : "['probabilities', 'label']", printed);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_nabla_model_is_refused_in_one_line()
    {
        File.WriteAllText(P("notes.safetensors"), "these are not tensors");
        var (exit, _, err) = CliRunner.Run("export", P("notes.safetensors"), "--onnx", P("m.onnx"));
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", err);
        Assert.Contains("notes.safetensors", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(P("m.onnx")));

        var missing = CliRunner.Run("export", P("nothing.safetensors"), "--onnx", P("m.onnx"));
        Assert.Equal(2, missing.Exit);
        Assert.Contains("there is no file", missing.Err);
    }

    [Fact]
    public void A_model_with_an_unknown_activation_is_refused_naming_it()
    {
        WriteCsv(P("train.csv"), rows: 60, classes: 2, seed: 1);
        var train = CliRunner.Run("train", "--data", P("train.csv"), "--target", "y", "--loss", "bce", "--epochs", "1", "--save", P("m.safetensors"));
        Assert.True(train.Exit == 0, train.Err);
        var file = Nabla.Serialization.SafetensorsFile.Load(P("m.safetensors"));
        var metadata = file.Metadata.ToDictionary();
        metadata["nabla.activation"] = "gelu";
        Nabla.Serialization.SafetensorsFile.Save(P("gelu.safetensors"), file.Names.Select(name => file.Tensors[name]), metadata);

        var (exit, _, err) = CliRunner.Run("export", P("gelu.safetensors"), "--onnx", P("m.onnx"));
        Assert.Equal(2, exit);
        Assert.Contains("gelu", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(P("m.onnx")));

        // An activation the model format knows but ONNX export does not map is refused by the exporter itself.
        var export = new Nabla.Onnx.MlpExport("float64", [1, 1, 1], [[1.0], [1.0]], [[0.0], [0.0]], "softmax", "mse", [], ["x"], "y",
            new Nabla.Data.Standardizer([0.0], [1.0]), 0, 1);
        var e = Assert.Throws<NablaException>(() => Nabla.Onnx.OnnxMlpGraph.Build(export, "m.safetensors"));
        Assert.Contains("activation \"softmax\" has no ONNX export", e.Message);
    }

    [Fact]
    public void An_output_that_cannot_be_written_is_an_error_and_the_model_is_never_overwritten()
    {
        WriteCsv(P("train.csv"), rows: 60, classes: 0, seed: 1);
        var train = CliRunner.Run("train", "--data", P("train.csv"), "--target", "y", "--epochs", "1", "--save", P("m.safetensors"));
        Assert.True(train.Exit == 0, train.Err);
        var before = File.ReadAllBytes(P("m.safetensors"));

        // A missing folder is created, as for every file a command writes; one that cannot be made (a file stands where
        // a folder would go) is an error naming the option.
        var nested = CliRunner.Run("export", P("m.safetensors"), "--onnx", P("new/dir/m.onnx"));
        Assert.True(nested.Exit == 0, nested.Err);
        Assert.True(File.Exists(P("new/dir/m.onnx")));
        var blocked = CliRunner.Run("export", P("m.safetensors"), "--onnx", P("m.safetensors/sub/m.onnx"));
        Assert.Equal(2, blocked.Exit);
        Assert.StartsWith("error: --onnx", blocked.Err);

        // The command line refuses any --onnx name not ending in .onnx, so the model file itself is never a target there.
        var itself = CliRunner.Run("export", P("m.safetensors"), "--onnx", P("m.safetensors"));
        Assert.Equal(2, itself.Exit);
        Assert.Contains("must end in .onnx", itself.Err);

        var directory = CliRunner.Run("export", P("m.safetensors"), "--onnx", _dir);
        Assert.Equal(2, directory.Exit);
        Assert.Contains("is a folder", directory.Err);

        Assert.Equal(before, File.ReadAllBytes(P("m.safetensors")));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    /// <summary>
    /// Rows of three features on different scales (so standardisation matters) and a target y: a class label
    /// (red/green/blue, or no/yes) for <paramref name="classes"/> &gt; 0, else a value around 50.
    /// </summary>
    private static void WriteCsv(string path, int rows, int classes, int seed)
    {
        var random = new Random(seed);
        string[] labels = classes == 3 ? ["red", "green", "blue"] : ["no", "yes"];
        using var writer = new StreamWriter(path);
        writer.WriteLine("a,b,c,y");
        for (int r = 0; r < rows; r++)
        {
            double a = random.NextDouble() * 4 - 2, b = random.NextDouble() * 200 + 100, c = random.NextDouble() * 0.01;
            string y = classes switch
            {
                0 => (50 + 10 * Math.Sin(a) + 0.02 * b + 300 * c).ToString("R", CultureInfo.InvariantCulture),
                3 => labels[a < -0.7 ? 0 : a < 0.7 ? 1 : 2],
                _ => labels[a * (b - 200) > 0 ? 1 : 0],
            };
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a:R},{b:R},{c:R},{y}"));
        }
    }

    private static double[] ReadFeatures(string path) =>
        [.. File.ReadAllLines(path).Skip(1).SelectMany(l => l.Split(',').Take(3)).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];

    private static double[] Numbers(NamedOnnxValue value, string dtype) => dtype == "float32"
        ? [.. value.AsTensor<float>().Select(v => (double)v)]
        : [.. value.AsTensor<double>()];
}
