using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nabla.Data;
using Nabla.Rng;
using Nabla.Tests.Cli;
using Nabla.Tests.Training;

namespace Nabla.Tests.Onnx;

/// <summary>
/// Networks of any architecture (convolutions, pooling, batch norm, dropout, layer norm) export to ONNX files that
/// ONNX Runtime runs to what <c>nabla predict</c> prints, on images the model never saw.
/// </summary>
public sealed class OnnxNetworkExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-onnx-net-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    public static TheoryData<string, string> Networks => new()
    {
        { "conv 4 3 padding=1, relu, maxpool 2, conv 6 3 stride=2, tanh, avgpool 2 padding=1, flatten, batchnorm, dropout 0.3, linear 10, sigmoid, linear 4", "float32" },
        { "conv 4 5 dilation=2 bias=false, batchnorm, relu, maxpool 3 stride=2 padding=1, flatten, linear 4", "float32" },
        { "flatten, batchnorm, tanh, dropout 0.1, linear 8, relu, linear 4", "float64" },
        { "conv 4 3 groups=1, sin, avgpool 2, flatten, layernorm, dropout 0.5, linear 4, softmax, linear 4", "float32" },
        // ONNX Runtime's CPU provider has no float64 Conv or AveragePool kernel: a float64 model's convolutions and average
        // pools are exported between Cast nodes and run in float32, so those nets agree with predict to float32 precision.
        { "conv 4 3 padding=1, relu, maxpool 2, conv 6 3 stride=2 dilation=1, tanh, avgpool 2 padding=1, batchnorm, flatten, batchnorm, dropout 0.3, linear 10, sigmoid, linear 4", "float64" },
        { "conv 4 5 dilation=2 bias=false groups=1, sin, avgpool 2, flatten, layernorm, identity, linear 8, softmax, linear 4", "float64" },
        { "conv 4 5 dilation=2 bias=false groups=1, sin, avgpool 2, flatten, layernorm, identity, linear 8, softmax, linear 4", "float32" },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void OnnxRuntime_gives_what_nabla_predict_gives_for_a_conv_net(string layers, string dtype)
    {
        var train = CliRunner.Run("train", "--dataset", "shapes", "--samples", "120", "--layers", layers, "--epochs", "3", "--dtype", dtype,
            "--save", P("m.safetensors"));
        Assert.True(train.Exit == 0, train.Err);
        var unseen = ShapesDataset.Create(25, new RandomState(99), size: 16, noise: 0.3);
        using (var writer = new StreamWriter(P("unseen.csv")))
        {
            writer.WriteLine(string.Join(",", unseen.Features.ColumnNames));
            for (int r = 0; r < unseen.Rows; r++)
                writer.WriteLine(string.Join(",", unseen.Features.Values.AsSpan(r * 256, 256).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
        var predict = CliRunner.Run("predict", "--model", P("m.safetensors"), "--data", P("unseen.csv"));
        Assert.True(predict.Exit == 0, predict.Err);
        var export = CliRunner.Run("export", P("m.safetensors"), "--onnx", P("m.onnx"));
        Assert.True(export.Exit == 0, export.Err);

        using var session = new InferenceSession(P("m.onnx"));
        int n = unseen.Rows;
        NamedOnnxValue input = dtype == "float32"
            ? NamedOnnxValue.CreateFromTensor("features", new DenseTensor<float>(unseen.Features.Values.Select(v => (float)v).ToArray(), [n, 256]))
            : NamedOnnxValue.CreateFromTensor("features", new DenseTensor<double>(unseen.Features.Values, [n, 256]));
        using var results = session.Run([input]);
        var probabilities = dtype == "float32"
            ? results.Single(r => r.Name == "probabilities").AsTensor<float>().Select(v => (double)v).ToArray()
            : [.. results.Single(r => r.Name == "probabilities").AsTensor<double>()];
        var labels = results.Single(r => r.Name == "label").AsTensor<string>().ToArray();
        var expected = predict.Out.TrimEnd('\n').Split('\n').Select(l => l.Split(',')).ToArray();
        Assert.Equal(["prediction", "p_plus", "p_cross", "p_tee", "p_ell"], expected[0]);
        double tolerance = dtype == "float32" || layers.Contains("conv", StringComparison.Ordinal) || layers.Contains("avgpool", StringComparison.Ordinal) ? 1e-5 : 1e-12;
        for (int r = 0; r < n; r++)
        {
            Assert.Equal(expected[r + 1][0], labels[r]);
            for (int c = 0; c < 4; c++)
            {
                double want = double.Parse(expected[r + 1][c + 1], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(probabilities[r * 4 + c] - want) <= tolerance, $"row {r} class {c}: onnx {probabilities[r * 4 + c]:R}, predict {want:R}");
            }
        }
    }

    [Fact]
    public void The_onnx_checker_accepts_an_exported_conv_net()
    {
        if (!Python.Has("onnx"))
        {
            Assert.Skip("/usr/bin/python3 with onnx is not installed (apt-get install python3-onnx), so the ONNX checker did not run.");
        }
        Assert.Equal(0, CliRunner.Run("train", "--dataset", "shapes", "--samples", "40", "--layers",
            "conv 4 3, batchnorm, relu, maxpool 2, avgpool 2, flatten, dropout 0.2, layernorm, linear 4", "--epochs", "1", "--save", P("m.safetensors")).Exit);
        Assert.Equal(0, CliRunner.Run("export", P("m.safetensors"), "--onnx", P("m.onnx")).Exit);
        string printed = Python.Run("-c", "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
            + "print(sorted({n.op_type for n in m.graph.node}))", P("m.onnx"));
        foreach (var op in new[] { "Reshape", "Conv", "BatchNormalization", "MaxPool", "AveragePool", "Flatten", "LayerNormalization", "Gemm" })
            Assert.Contains($"'{op}'", printed);
        Assert.DoesNotContain("Dropout", printed);
    }
}
