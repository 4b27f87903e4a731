using System.Text.Json;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Nn;

/// <summary>
/// The image and normalisation layers against PyTorch through safetensors state dicts, both ways, with
/// <c>load_state_dict(strict=True)</c> on the torch side and <see cref="Module{T}.LoadStateDict"/> (strict) here: same
/// keys in the same order, same layouts, same outputs in eval mode (running statistics included) and in training mode.
/// </summary>
public sealed class LayerInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-layers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Script = Python.SafetensorsFunctions + """
        import torch.nn as nn

        def net():
            return nn.Sequential(
                nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.3),
                nn.Conv2d(4, 6, 3, stride=2, padding=1, groups=2, bias=False), nn.AvgPool2d(2), nn.Flatten(),
                nn.Linear(6, 5), nn.BatchNorm1d(5, momentum=None), nn.LayerNorm(5), nn.Tanh(), nn.Linear(5, 3)).double()

        mode, path = sys.argv[1], sys.argv[2]
        x = torch.tensor(json.load(open(sys.argv[3])), dtype=torch.float64).reshape(4, 3, 8, 8)
        model = net()
        if mode == "export":
            torch.manual_seed(5)
            model = net()
            model.train()
            with torch.no_grad():
                for k in range(3):
                    model[4].p = 0.0
                    model(x * (k + 1))
            save(path, model.state_dict())
        else:
            model.load_state_dict(load(path), strict=True)
        result = {"keys": list(model.state_dict().keys()), "running": model[1].running_var.tolist(), "tracked": int(model[9].num_batches_tracked)}
        model.eval()
        with torch.no_grad():
            result["eval"] = model(x).flatten().tolist()
        model.train(); model[4].p = 0.0
        with torch.no_grad():
            result["train"] = model(x).flatten().tolist()
        print(json.dumps(result))
        """;

    private static Sequential<double> Net(RandomState rng) => new(
        new Conv2d<double>(3, 4, 3, rng, padding: 1), new BatchNorm2d<double>(4), new ReLU<double>(), new MaxPool2d<double>(2),
        new Dropout<double>(0.3, rng), new Conv2d<double>(4, 6, 3, rng, stride: 2, padding: 1, groups: 2, bias: false),
        new AvgPool2d<double>(2), new Flatten<double>(), new Linear<double>(6, 5, rng), new BatchNorm1d<double>(5, momentum: null),
        new LayerNorm<double>(5), new Tanh<double>(), new Linear<double>(5, 3, rng));

    private (string Script, string Input, Tensor<double> X) Setup()
    {
        if (!Python.Has("torch", "numpy"))
            Assert.Skip("/usr/bin/python3 with PyTorch and NumPy is not installed (apt-get install python3-torch), so the cross-check did not run.");
        var x = new Tensor<double>(new RandomState(8).StandardNormal(4 * 3 * 8 * 8), 4, 3, 8, 8);
        string script = Path.Combine(_dir, "layers.py"), input = Path.Combine(_dir, "x.json");
        File.WriteAllText(script, Script);
        File.WriteAllText(input, JsonSerializer.Serialize(x.ToArray()));
        return (script, input, x);
    }

    private static void AssertOutputs(JsonElement expected, Tensor<double> actual, string what)
    {
        var e = expected.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var a = actual.ToArray();
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) < 1e-10, $"{what} output {i}: torch {e[i]:R}, Nabla {a[i]:R}");
    }

    /// <summary>Training-mode outputs with dropout off: the same batch statistics on both sides.</summary>
    private static Tensor<double> TrainOutput(Sequential<double> net, Tensor<double> x)
    {
        var probe = Net(new RandomState(0));
        probe.LoadStateDict(net.StateDict());
        probe.Train();
        using (NoGrad.Scope()) return probe.Where(m => m is not Dropout<double>).Aggregate(x, (h, m) => m.Forward(h));
    }

    [Fact]
    public void A_state_dict_saved_here_loads_strictly_in_pytorch_and_gives_the_same_outputs()
    {
        var (script, input, x) = Setup();
        var net = Net(new RandomState(3));
        using (NoGrad.Scope())
            for (int k = 1; k <= 3; k++) net.Where(m => m is not Dropout<double>).Aggregate(x * (double)k, (h, m) => m.Forward(h));
        string path = Path.Combine(_dir, "nabla.safetensors");
        StateDicts.Save(net, path);
        using var torch = JsonDocument.Parse(Python.Run(script, "import", path, input));
        Assert.Equal(net.StateDict().Keys, torch.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!));
        Assert.Equal(3, torch.RootElement.GetProperty("tracked").GetInt32());
        net.Eval();
        using (NoGrad.Scope()) AssertOutputs(torch.RootElement.GetProperty("eval"), net.Forward(x), "eval");
        AssertOutputs(torch.RootElement.GetProperty("train"), TrainOutput(net, x), "train");
    }

    [Fact]
    public void A_state_dict_saved_from_pytorch_loads_strictly_here_and_gives_the_same_outputs()
    {
        var (script, input, x) = Setup();
        string path = Path.Combine(_dir, "torch.safetensors");
        using var torch = JsonDocument.Parse(Python.Run(script, "export", path, input));
        var net = Net(new RandomState(0));
        StateDicts.Load(net, path);
        Assert.Equal(3.0, ((BatchNorm1d<double>)net[9]).NumBatchesTracked!.ToScalar());
        var runningVar = ((BatchNorm2d<double>)net[1]).RunningVar!.ToArray();
        var expected = torch.RootElement.GetProperty("running").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], runningVar[i], 1e-12);
        net.Eval();
        using (NoGrad.Scope()) AssertOutputs(torch.RootElement.GetProperty("eval"), net.Forward(x), "eval");
        AssertOutputs(torch.RootElement.GetProperty("train"), TrainOutput(net, x), "train");
    }
}
