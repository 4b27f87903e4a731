using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Nn;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.IO;

namespace Nabla.Tests.Cli;

/// <summary><c>nabla explain --example …</c> and <c>nabla explain --model … --data … --row N</c>.</summary>
public sealed class ExplainNetworkCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("deep-relu", "text", "Backward pass")]
    [InlineData("deep-relu", "markdown", "### Backward pass")]
    [InlineData("dense-layer", "latex", "\\frac{\\partial L}{\\partial W_{1}} &= \\delta_{1} a_{0}^\\top = \\begin{bmatrix} 1.000 & -2.000 & 3.000 \\end{bmatrix}")]
    [InlineData("sigmoid-sgd", "json", "\"backward\"")]
    public void Every_example_is_explained_in_every_format(string example, string format, string expected)
    {
        var (exit, stdout, stderr) = CliRunner.Run("explain", "--example", example, "--format", format);
        Assert.True(exit == 0, stderr);
        Assert.Contains(expected, stdout);
        if (format == "json") JsonDocument.Parse(stdout).Dispose();
    }

    [Theory]
    [InlineData(new[] { "explain", "x*y", "--example", "deep-relu" }, "either a formula or --example/--model")]
    [InlineData(new[] { "explain", "--example", "deep-relu", "--at", "x=1" }, "--at applies to formulas")]
    [InlineData(new[] { "explain", "--example", "deep-relu", "--mode", "forward" }, "--mode applies to formulas")]
    [InlineData(new[] { "explain", "--example", "deep-relu", "--row", "2" }, "--data and --row go with --model")]
    [InlineData(new[] { "explain", "--example", "nope" }, "nope")]
    [InlineData(new[] { "explain", "--row", "2" }, "--data and --row go with --model")]
    [InlineData(new[] { "explain", "--model", "EXISTING" }, "--model needs --data")]
    [InlineData(new[] { "explain", "--model", "/nonexistent/m.safetensors", "--data", "/nonexistent/f.csv" }, "there is no file")]
    public void Network_options_that_do_not_fit_exit_2_with_the_reason(string[] args, string message)
    {
        string existing = _dir.File("m.safetensors");
        File.WriteAllText(existing, "");
        var (exit, stdout, stderr) = CliRunner.Run(args.Select(a => a == "EXISTING" ? existing : a).ToArray());
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
    }

    private string Csv()
    {
        string path = _dir.File("data.csv");
        var lines = new List<string> { "x1,x2,y" };
        for (int i = 0; i < 24; i++)
        {
            double x1 = Math.Sin(i * 0.7) * 2, x2 = Math.Cos(i * 1.3);
            lines.Add(FormattableString.Invariant($"{x1:R},{x2:R},{x1 * x2 + 0.5 * x1:R}"));
        }
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void A_trained_models_gradients_on_one_row_equal_the_tensor_engines_backward_pass()
    {
        string data = Csv(), model = _dir.File("m.safetensors");
        var train = CliRunner.Run("train", "--data", data, "--target", "y", "--hidden", "5,4", "--activation", "tanh", "--epochs", "5", "--save", model);
        Assert.True(train.Exit == 0, train.Err);
        var (exit, stdout, stderr) = CliRunner.Run("explain", "--model", model, "--data", data, "--row", "3", "--format", "json");
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("check").GetProperty("passed").GetBoolean());

        // The reference: the tensor engine's Mlp loaded from the same file, on row 3 standardised as the model says.
        var file = SafetensorsFile.Load(model);
        var mlp = Mlp.Create<double>([2, 5, 4, 1], "tanh");
        mlp.LoadStateDict(StateDicts.FromSafeTensors<double>(file.Names.Select(n => file.Tensors[n])));
        var csv = CsvLoader.Load(data, new CsvOptions { Target = "y" });
        var row = csv.Features.Row(2).ToArray();
        Standardizer.FromDictionary(file.Metadata).TransformInPlace(row);
        double mean = double.Parse(file.Metadata["nabla.target_mean"], CultureInfo.InvariantCulture);
        double std = double.Parse(file.Metadata["nabla.target_std"], CultureInfo.InvariantCulture);
        var output = mlp.Forward(new Tensor<double>(row, 1, 2));
        var loss = Nabla.Losses.Loss.Mse(output, new Tensor<double>([(csv.Targets![2] - mean) / std], 1, 1));
        loss.Backward();
        Assert.Equal(loss.ToScalar(), root.GetProperty("loss").GetProperty("value").GetDouble(), 12);

        var state = mlp.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        var backward = root.GetProperty("backward").EnumerateArray().ToDictionary(b => b.GetProperty("layer").GetInt32());
        string[] names = ["0", "2", "4"];
        for (int k = 0; k < names.Length; k++)
        {
            var step = backward[k + 1];
            var dW = step.GetProperty("dW").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetDouble()).ToArray();
            var db = step.GetProperty("db").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetDouble()).ToArray();
            var expectedW = state[names[k] + ".weight"].Grad!.ToArray();
            var expectedB = state[names[k] + ".bias"].Grad!.ToArray();
            for (int i = 0; i < expectedW.Length; i++) Assert.True(Math.Abs(expectedW[i] - dW[i]) <= 1e-12, $"layer {k + 1} dW[{i}]: {dW[i]:R} vs {expectedW[i]:R}");
            for (int i = 0; i < expectedB.Length; i++) Assert.True(Math.Abs(expectedB[i] - db[i]) <= 1e-12, $"layer {k + 1} db[{i}]: {db[i]:R} vs {expectedB[i]:R}");
        }
    }

    [Fact]
    public void A_row_outside_the_data_is_refused_with_the_row_count()
    {
        string data = Csv(), model = _dir.File("m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--target", "y", "--hidden", "3", "--epochs", "2", "--save", model).Exit);
        var (exit, _, stderr) = CliRunner.Run("explain", "--model", model, "--data", data, "--row", "25");
        Assert.Equal(2, exit);
        Assert.Contains("--row 25: ", stderr);
        Assert.Contains("has 24 data rows (1 … 24)", stderr);
    }

    [Fact]
    public void A_model_trained_with_layers_is_refused_naming_its_architecture()
    {
        // The matrix form shows chains of dense layers; a --layers model (here with a normalisation layer between
        // them) must not be read as an MLP, silently or with a confusing "not a matrix" message.
        string data = Csv(), model = _dir.File("layers.safetensors");
        var train = CliRunner.Run("train", "--data", data, "--target", "y", "--layers", "linear 4, layernorm, tanh, linear 1", "--epochs", "2", "--save", model);
        Assert.True(train.Exit == 0, train.Err);
        var (exit, _, stderr) = CliRunner.Run("explain", "--model", model, "--data", data, "--row", "1");
        Assert.Equal(2, exit);
        Assert.Contains("shows multilayer perceptrons (hidden layer sizes, no architecture) in matrix form", stderr);
        Assert.Contains("\"linear 4, layernorm, tanh, linear 1\"", stderr);
    }
}
