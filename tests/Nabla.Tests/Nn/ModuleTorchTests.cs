using System.Text.Json;
using Nabla.Nn;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Nn;

/// <summary>
/// A custom module written with no registration code against the same module written in PyTorch by the test's script:
/// its saved state dict loads there with <c>strict=True</c> and gives the same outputs, its text is PyTorch's
/// <c>repr</c>, and its summary counts each module's parameters as <c>sum(p.numel() for p in m.parameters())</c>.
/// </summary>
public sealed class ModuleTorchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-module-torch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The module below, field by field, as PyTorch writes it.</summary>
    private const string Script = Python.SafetensorsFunctions + """
        import torch.nn as nn

        class TorchNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(4, 8)
                self.hidden = nn.ModuleList([nn.Linear(8, 8), nn.Linear(8, 8)])
                self.grid = nn.ModuleList([nn.ModuleList([nn.Linear(8, 8)]), nn.ModuleList([nn.Linear(8, 8), nn.Linear(8, 8)])])
                self.c_attn = nn.Linear(8, 6, bias=False)
                self.heads = nn.ModuleDict({"mean": nn.Linear(6, 2), "act": nn.Tanh()})
                self.tail = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
                self.norm = nn.BatchNorm1d(3)
                self.scale = nn.Parameter(torch.ones(3))
                self.register_buffer("offset", torch.zeros(3))

            def forward(self, x):
                x = torch.relu(self.fc1(x))
                for h in self.hidden:
                    x = torch.relu(h(x))
                for row in self.grid:
                    for layer in row:
                        x = torch.tanh(layer(x))
                x = self.heads["act"](self.heads["mean"](self.c_attn(x)))
                return self.norm(self.tail(x)) * self.scale + self.offset

        net = TorchNet().double()
        mode = sys.argv[1]
        if mode == "run":
            net.load_state_dict(load(sys.argv[2]), strict=True)
            net.eval()
            with torch.no_grad():
                print(json.dumps(net(load(sys.argv[3])["x"]).flatten().tolist()))
        elif mode == "repr":
            print(repr(net), end="")
        elif mode == "layers":
            print(repr(nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
                                     nn.Flatten(), nn.Linear(64, 10), nn.LayerNorm(10), nn.Tanh(), nn.Sigmoid(), nn.Softmax(dim=-1),
                                     nn.AvgPool2d(2), nn.Identity(), nn.Embedding(5, 3), nn.BatchNorm1d(3, momentum=None))), end="")
        else:
            print(json.dumps({name: sum(p.numel() for p in m.parameters()) for name, m in net.named_modules()}))
        """;

    internal sealed class TorchNet : Module<double>
    {
        private readonly Linear<double> fc1 = new(4, 8);
        private readonly List<Linear<double>> hidden = [new(8, 8), new(8, 8)];
        private readonly List<List<Linear<double>>> grid = [[new(8, 8)], [new(8, 8), new(8, 8)]];
        [StateName("c_attn")] private readonly Linear<double> attention = new(8, 6, bias: false);
        private readonly ModuleDict<double> heads = new() { { "mean", new Linear<double>(6, 2) }, { "act", new Tanh<double>() } };
        private readonly Sequential<double> tail = new(new Linear<double>(2, 3), new ReLU<double>());
        private readonly BatchNorm1d<double> norm = new(3);
        private readonly Tensor<double> scale = new Tensor<double>([0.5, -1.5, 2], 3).RequireGrad();

        public TorchNet() => Offset = RegisterBuffer("offset", new Tensor<double>([0.25, 0, -0.75], 3));

        [NotRegistered] public Tensor<double> Offset { get; }

        public override Tensor<double> Forward(Tensor<double> x)
        {
            x = fc1.Call(x).Relu();
            foreach (var h in hidden) x = h.Call(x).Relu();
            foreach (var row in grid)
                foreach (var layer in row) x = layer.Call(x).Tanh();
            x = heads["act"].Call(heads["mean"].Call(attention.Call(x)));
            return norm.Call(tail.Call(x)) * scale + Offset;
        }
    }

    private string RunScript(params string[] args)
    {
        if (!Python.Has("torch"))
            Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison with PyTorch did not run.");
        string script = Path.Combine(_dir, "net.py");
        File.WriteAllText(script, Script);
        return Python.Run([script, .. args]);
    }

    [Fact]
    public void The_saved_state_dict_loads_strictly_into_the_pytorch_module_and_both_give_the_same_output()
    {
        var net = new TorchNet();
        var batch = new Tensor<double>([.. Enumerable.Range(0, 20).Select(i => Math.Sin(1.7 * i))], 5, 4);
        net.Forward(batch);   // one training-mode pass moves batch norm's running statistics off their defaults
        net.Eval();
        var x = new Tensor<double>([.. Enumerable.Range(0, 12).Select(i => Math.Cos(0.9 * i) * 2)], 3, 4);
        var expected = net.Forward(x).ToArray();
        string state = Path.Combine(_dir, "state.safetensors"), input = Path.Combine(_dir, "x.safetensors");
        StateDicts.Save(net, state);
        SafetensorsFile.Save(input, StateDicts.ToSafeTensors([new KeyValuePair<string, Tensor<double>>("x", x)]));
        var actual = JsonSerializer.Deserialize<double[]>(RunScript("run", state, input))!;
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }

    [Fact]
    public void ToString_prints_what_pytorch_repr_prints()
    {
        Assert.Equal(RunScript("repr"), new TorchNet().ToString());
    }

    [Fact]
    public void Built_in_layers_print_what_pytorch_repr_prints()
    {
        var net = new Sequential<float>(new Conv2d<float>(1, 4, 3, padding: 1), new BatchNorm2d<float>(4), new ReLU<float>(),
            new MaxPool2d<float>(2), new Dropout<float>(0.25, new global::Nabla.Rng.RandomState(1)), new Flatten<float>(),
            new Linear<float>(64, 10), new LayerNorm<float>(10), new Tanh<float>(), new Sigmoid<float>(), new Softmax<float>(),
            new AvgPool2d<float>(2), new Identity<float>(), new Embedding<float>(5, 3), new BatchNorm1d<float>(3, momentum: null));
        Assert.Equal(RunScript("layers"), net.ToString());
    }

    [Fact]
    public void Summary_counts_each_modules_parameters_as_pytorch_does()
    {
        var counts = JsonSerializer.Deserialize<Dictionary<string, long>>(RunScript("counts"))!;
        var summary = new TorchNet().Summary(2, 4);
        Assert.Equal(counts.Keys, summary.Rows.Select(r => r.Name));
        foreach (var row in summary.Rows) Assert.True(counts[row.Name] == row.Parameters, $"{row.Name}: PyTorch {counts[row.Name]}, Nabla {row.Parameters}");
        Assert.Equal(counts[""], summary.TotalParameters);
        Assert.Equal(summary.TotalParameters, summary.TrainableParameters);
    }
}
