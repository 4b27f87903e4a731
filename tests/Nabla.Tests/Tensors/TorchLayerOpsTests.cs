using System.Text.Json;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Convolution, pooling and normalisation against PyTorch on random inputs: the test draws inputs and an upstream
/// gradient, a Python script computes torch's outputs and input gradients (float64), and Nabla's must agree.
/// </summary>
public sealed class TorchLayerOpsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-torch-ops-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Script = """
        import json, sys
        import torch
        import torch.nn.functional as F

        cases = json.load(open(sys.argv[1]))
        results = []
        for case in cases:
            xs = [torch.tensor(t["data"], dtype=torch.float64).reshape(t["shape"]).requires_grad_() for t in case["inputs"]]
            a = case["args"]
            op = case["op"]
            if op == "conv2d":
                y = F.conv2d(xs[0], xs[1], xs[2], stride=a[0], padding=a[1], dilation=a[2], groups=a[3])
            elif op == "max_pool2d":
                y = F.max_pool2d(xs[0], a[0], stride=a[1], padding=a[2])
            elif op == "avg_pool2d":
                y = F.avg_pool2d(xs[0], a[0], stride=a[1], padding=a[2], count_include_pad=bool(a[3]))
            elif op == "batch_norm":
                rm = torch.zeros(xs[0].shape[1], dtype=torch.float64); rv = torch.ones(xs[0].shape[1], dtype=torch.float64)
                y = F.batch_norm(xs[0], rm, rv, xs[1], xs[2], training=True, momentum=0.1, eps=1e-5)
                extra = rm.tolist() + rv.tolist()
            elif op == "layer_norm":
                y = F.layer_norm(xs[0], a, xs[1], xs[2], eps=1e-5)
            g = torch.cos(torch.arange(y.numel(), dtype=torch.float64)).reshape(y.shape)
            y.backward(g)
            r = {"out": y.detach().flatten().tolist(), "grads": [x.grad.flatten().tolist() for x in xs]}
            if op == "batch_norm":
                r["running"] = extra
            results.append(r)
        print(json.dumps(results))
        """;

    private sealed record Case(string Op, Tensor<double>[] Inputs, int[] Args, Func<Tensor<double>[], Tensor<double>> Nabla);

    [Fact]
    public void Outputs_and_gradients_match_pytorch()
    {
        if (!Python.Has("torch"))
            Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison did not run.");
        var rng = new RandomState(21);
        Tensor<double> R(params int[] shape) => ConvolutionTests.Random(rng, shape);
        var rm = Tensor<double>.Zeros(3);
        var rv = Tensor<double>.Ones(3);
        Case[] cases =
        [
            new("conv2d", [R(2, 3, 8, 7), R(4, 3, 3, 3), R(4)], [1, 0, 1, 1], x => Tensor<double>.Conv2d(x[0], x[1], x[2])),
            new("conv2d", [R(2, 4, 9, 8), R(6, 2, 3, 2), R(6)], [2, 1, 2, 2], x => Tensor<double>.Conv2d(x[0], x[1], x[2], 2, 1, 2, 2)),
            new("max_pool2d", [R(2, 3, 7, 6)], [3, 2, 1], x => x[0].MaxPool2d(3, 2, 1)),
            new("avg_pool2d", [R(2, 3, 7, 6)], [3, 2, 1, 1], x => x[0].AvgPool2d(3, 2, 1)),
            new("avg_pool2d", [R(2, 3, 7, 6)], [3, 2, 1, 0], x => x[0].AvgPool2d(3, 2, 1, countIncludePad: false)),
            new("batch_norm", [R(4, 3, 5, 2), R(3), R(3)], [], x => Tensor<double>.BatchNorm(x[0], x[1], x[2], rm, rv, training: true)),
            new("layer_norm", [R(3, 2, 5), R(2, 5), R(2, 5)], [2, 5], x => Tensor<double>.LayerNorm(x[0], [2, 5], x[1], x[2])),
        ];
        string input = Path.Combine(_dir, "cases.json"), script = Path.Combine(_dir, "ops.py");
        File.WriteAllText(script, Script);
        File.WriteAllText(input, JsonSerializer.Serialize(cases.Select(c => new
        {
            op = c.Op,
            args = c.Args,
            inputs = c.Inputs.Select(t => new { data = t.ToArray(), shape = t.Shape.ToArray() }),
        })));
        using var results = JsonDocument.Parse(Python.Run(script, input));
        for (int i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            var leaves = c.Inputs.Select(t => t.Detach().RequireGrad()).ToArray();
            var y = c.Nabla(leaves);
            var g = Tensor<double>.Arange(y.ElementCount).Cos().Reshape([.. y.Shape]);
            y.Backward(g);
            var torch = results.RootElement[i];
            AssertClose($"{c.Op} #{i} output", torch.GetProperty("out"), y.ToArray());
            for (int j = 0; j < leaves.Length; j++)
                AssertClose($"{c.Op} #{i} gradient of input {j}", torch.GetProperty("grads")[j], leaves[j].Grad!.ToArray());
            if (c.Op == "batch_norm") AssertClose("running statistics", torch.GetProperty("running"), [.. rm.ToArray(), .. rv.ToArray()]);
        }
    }

    private static void AssertClose(string what, JsonElement expected, double[] actual)
    {
        var e = expected.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.True(e.Length == actual.Length, $"{what}: torch has {e.Length} values, Nabla {actual.Length}");
        for (int k = 0; k < e.Length; k++)
            Assert.True(Math.Abs(e[k] - actual[k]) <= 1e-10 * (1 + Math.Abs(e[k])), $"{what} at {k}: torch {e[k]:R}, Nabla {actual[k]:R}");
    }
}
