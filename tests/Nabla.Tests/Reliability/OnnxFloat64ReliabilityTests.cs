using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nabla.Data;
using Nabla.Rng;
using Nabla.Tests.Cli;
using Nabla.Tests.IO;

namespace Nabla.Tests.Reliability;

/// <summary>
/// Every exportable layer type, in float32 and float64, exports to a file ONNX Runtime loads and runs to what
/// <c>nabla predict</c> prints (float64 Conv and AveragePool run in float32 between Cast nodes, since ONNX Runtime's
/// CPU provider has no float64 kernel for them: onnx.checker accepted such files, only running them showed it).
/// </summary>
public sealed class OnnxFloat64ReliabilityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> Networks()
    {
        var data = new TheoryData<string, string>();
        foreach (var dtype in new[] { "float32", "float64" })
        {
            data.Add("conv 4 3 padding=1, relu, maxpool 2, conv 6 3 stride=2 dilation=1, tanh, avgpool 2 padding=1, batchnorm, flatten, batchnorm, dropout 0.3, linear 10, sigmoid, linear 4", dtype);
            data.Add("conv 4 5 dilation=2 bias=false groups=1, sin, avgpool 2, flatten, layernorm, identity, linear 8, softmax, linear 4", dtype);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void OnnxRuntime_runs_the_export_to_what_predict_prints(string layers, string dtype)
    {
        string P(string name) => _dir.File(name);
        var train = CliRunner.Run("train", "--dataset", "shapes", "--samples", "60", "--layers", layers, "--epochs", "2", "--dtype", dtype, "--save", P("m.safetensors"));
        Assert.True(train.Exit == 0, train.Err);
        var unseen = ShapesDataset.Create(12, new RandomState(7), size: 16, noise: 0.3);
        File.WriteAllLines(P("unseen.csv"), [string.Join(",", unseen.FeatureNames),
            .. Enumerable.Range(0, unseen.Rows).Select(r => string.Join(",", unseen.Features.AsSpan(r * 256, 256).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))))]);
        var predict = CliRunner.Run("predict", "--model", P("m.safetensors"), "--data", P("unseen.csv"));
        Assert.True(predict.Exit == 0, predict.Err);
        var export = CliRunner.Run("export", P("m.safetensors"), "--onnx", P("m.onnx"));
        Assert.True(export.Exit == 0, export.Err);

        using var session = new InferenceSession(P("m.onnx"));
        int n = unseen.Rows;
        NamedOnnxValue input = dtype == "float32"
            ? NamedOnnxValue.CreateFromTensor("features", new DenseTensor<float>(unseen.Features.Select(v => (float)v).ToArray(), [n, 256]))
            : NamedOnnxValue.CreateFromTensor("features", new DenseTensor<double>(unseen.Features, [n, 256]));
        using var results = session.Run([input]);
        var p = results.Single(r => r.Name == "probabilities");
        double[] probabilities = dtype == "float32" ? [.. p.AsTensor<float>().Select(v => (double)v)] : [.. p.AsTensor<double>()];
        var expected = predict.Out.TrimEnd('\n').Split('\n').Skip(1).Select(l => l.Split(',')).ToArray();
        // float32 everywhere, or float64 with the convolutions in float32: both agree with predict to float32 precision.
        const double Tolerance = 1e-5;
        for (int r = 0; r < n; r++)
            for (int c = 0; c < 4; c++)
            {
                double want = double.Parse(expected[r][c + 1], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(probabilities[r * 4 + c] - want) <= Tolerance, $"{dtype} row {r} class {c}: onnx {probabilities[r * 4 + c]:R}, predict {want:R}");
            }
    }
}
