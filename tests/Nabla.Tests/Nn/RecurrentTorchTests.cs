using System.Numerics;
using System.Text.Json;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Nn;

/// <summary>
/// RNN, LSTM and GRU against PyTorch's nn.RNN/nn.LSTM/nn.GRU. Nabla saves its state dict; the script builds the torch
/// module, loads it with strict=True, runs the same input and initial states, and backpropagates the same fixed random
/// projection of the output, h_n and c_n. Outputs, final states and the gradients of every parameter, the input and the
/// initial states must agree, in float64 and float32. The other way, a state dict PyTorch initialised loads strictly here.
/// </summary>
public sealed class RecurrentTorchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-recurrent-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Script = Python.SafetensorsFunctions + """
        import torch.nn as nn

        def build(c, dtype):
            kw = dict(num_layers=c["layers"], bias=c["bias"], batch_first=c["batch_first"])
            if c["kind"].startswith("rnn"):
                kw["nonlinearity"] = c["kind"][4:]
            cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn_tanh": nn.RNN, "rnn_relu": nn.RNN}[c["kind"]]
            return cls(c["input"], c["hidden"], **kw).to(dtype)

        def tensor(c, name, dtype, grad):
            t = c.get(name)
            if t is None:
                return None
            x = torch.tensor(t["data"], dtype=dtype).reshape(t["shape"])
            return x.requires_grad_() if grad else x

        def flat(t):
            return None if t is None else t.detach().flatten().tolist()

        def run(m, c, dtype, grad):
            x, h0, c0 = (tensor(c, n, dtype, grad) for n in ("x", "h0", "c0"))
            if c["kind"] == "lstm":
                y, (hn, cn) = m(x, None if h0 is None else (h0, c0))
            else:
                (y, hn), cn = m(x, h0), None
            return x, h0, c0, y, hn, cn

        mode, cases = sys.argv[1], json.load(open(sys.argv[2]))
        results = []
        for c in cases:
            dtype = torch.float64 if c["dtype"] == "float64" else torch.float32
            if mode == "compare":
                m = build(c, dtype)
                m.load_state_dict(load(c["path"]), strict=True)
                x, h0, c0, y, hn, cn = run(m, c, dtype, True)
                loss = (y * tensor(c, "py", dtype, False)).sum() + (hn * tensor(c, "ph", dtype, False)).sum()
                if cn is not None:
                    loss = loss + (cn * tensor(c, "pc", dtype, False)).sum()
                loss.backward()
                results.append({"keys": list(m.state_dict().keys()), "y": flat(y), "hn": flat(hn), "cn": flat(cn),
                                "grads": {k: flat(p.grad) for k, p in m.named_parameters()},
                                "dx": flat(x.grad), "dh0": flat(None if h0 is None else h0.grad), "dc0": flat(None if c0 is None else c0.grad)})
            else:
                torch.manual_seed(len(results) + 7)
                m = build(c, dtype)
                save(c["path"], m.state_dict())
                with torch.no_grad():
                    x, h0, c0, y, hn, cn = run(m, c, dtype, False)
                results.append({"y": flat(y), "hn": flat(hn), "cn": flat(cn)})
        print(json.dumps(results))
        """;

    private sealed record Config(string Kind, int Layers, bool Bias, bool BatchFirst, bool States);

    private static readonly Config[] Configs =
    [
        new("lstm", 1, true, false, true),
        new("lstm", 2, false, true, false),
        new("lstm", 2, true, false, true),
        new("gru", 2, true, false, true),
        new("gru", 1, false, true, false),
        new("rnn_tanh", 2, true, true, true),
        new("rnn_relu", 1, false, false, false),
    ];

    private const int Steps = 5, Batch = 3, InputSize = 4, Hidden = 19;   // 19: the vector loops and their scalar tails both run

    private static RecurrentModule<T> Build<T>(Config c, RandomState rng) where T : unmanaged, IFloatingPointIeee754<T> => c.Kind switch
    {
        "lstm" => new LSTM<T>(InputSize, Hidden, rng, c.Layers, c.Bias, c.BatchFirst),
        "gru" => new GRU<T>(InputSize, Hidden, rng, c.Layers, c.Bias, c.BatchFirst),
        _ => new RNN<T>(InputSize, Hidden, rng, c.Layers, c.Kind == "rnn_relu" ? RnnNonlinearity.Relu : RnnNonlinearity.Tanh, c.Bias, c.BatchFirst),
    };

    private static Tensor<T> Random<T>(RandomState rng, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(rng.Uniform(-1, 1, Shapes.ElementCount(shape)).Select(T.CreateTruncating).ToArray(), shape);

    private static object Json<T>(Tensor<T>? t) where T : unmanaged, IFloatingPointIeee754<T> =>
        t is null ? null! : new { data = t.ToArray().Select(double.CreateTruncating), shape = t.Shape.ToArray() };

    /// <summary>The Nabla side of one case: its JSON for the script, and what to compare the script's answer with.</summary>
    private sealed record Side(object Json, Action<JsonElement> Check);

    private Side Prepare<T>(Config c, int index, string dtype, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new RandomState((uint)(100 + index));
        var module = Build<T>(c, rng);
        string path = Path.Combine(_dir, $"case{index}-{dtype}.safetensors");
        StateDicts.Save(module, path);
        int[] xShape = c.BatchFirst ? [Batch, Steps, InputSize] : [Steps, Batch, InputSize];
        int[] yShape = c.BatchFirst ? [Batch, Steps, Hidden] : [Steps, Batch, Hidden];
        var x = Random<T>(rng, xShape).RequireGrad();
        var h0 = c.States ? Random<T>(rng, c.Layers, Batch, Hidden).RequireGrad() : null;
        var c0 = c.States && c.Kind == "lstm" ? Random<T>(rng, c.Layers, Batch, Hidden).RequireGrad() : null;
        var py = Random<T>(rng, yShape);
        var ph = Random<T>(rng, c.Layers, Batch, Hidden);
        var pc = Random<T>(rng, c.Layers, Batch, Hidden);
        var (y, hn, cn) = module.Forward(x, h0, c0);
        var loss = (y * py).Sum() + (hn * ph).Sum();
        if (cn is not null) loss += (cn * pc).Sum();
        loss.Backward();
        var json = new
        {
            kind = c.Kind, layers = c.Layers, bias = c.Bias, batch_first = c.BatchFirst, input = InputSize, hidden = Hidden, dtype, path,
            x = Json(x), h0 = Json(h0), c0 = Json(c0), py = Json(py), ph = Json(ph), pc = Json(pc),
        };
        string name = $"{c} {dtype}";
        return new Side(json, torch =>
        {
            Assert.Equal(module.StateDict().Keys, torch.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!));
            Close($"{name} output", torch.GetProperty("y"), y, tolerance);
            Close($"{name} h_n", torch.GetProperty("hn"), hn, tolerance);
            if (cn is not null) Close($"{name} c_n", torch.GetProperty("cn"), cn, tolerance);
            foreach (var (key, p) in module.NamedParameters()) Close($"{name} gradient of {key}", torch.GetProperty("grads").GetProperty(key), p.Grad!, tolerance);
            Close($"{name} gradient of the input", torch.GetProperty("dx"), x.Grad!, tolerance);
            if (h0 is not null) Close($"{name} gradient of h0", torch.GetProperty("dh0"), h0.Grad!, tolerance);
            if (c0 is not null) Close($"{name} gradient of c0", torch.GetProperty("dc0"), c0.Grad!, tolerance);
        });
    }

    private static void Close<T>(string what, JsonElement expected, Tensor<T> actual, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = expected.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var a = actual.ToArray().Select(double.CreateTruncating).ToArray();
        Assert.True(e.Length == a.Length, $"{what}: torch has {e.Length} values, Nabla {a.Length}");
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * (1 + Math.Abs(e[i])), $"{what} at {i}: torch {e[i]:R}, Nabla {a[i]:R}");
    }

    private static void RequireTorch()
    {
        if (!Python.Has("torch", "numpy"))
            Assert.Skip("/usr/bin/python3 with PyTorch and NumPy is not installed (apt-get install python3-torch), so the comparison did not run.");
    }

    [Fact]
    public void Outputs_states_and_gradients_match_pytorch_in_float64_and_float32()
    {
        RequireTorch();
        var sides = new List<Side>();
        for (int i = 0; i < Configs.Length; i++)
        {
            sides.Add(Prepare<double>(Configs[i], i, "float64", 1e-10));
            sides.Add(Prepare<float>(Configs[i], i, "float32", 2e-5));
        }
        string cases = Path.Combine(_dir, "cases.json"), script = Path.Combine(_dir, "recurrent.py");
        File.WriteAllText(script, Script);
        File.WriteAllText(cases, JsonSerializer.Serialize(sides.Select(s => s.Json)));
        using var results = JsonDocument.Parse(Python.Run(script, "compare", cases));
        for (int i = 0; i < sides.Count; i++) sides[i].Check(results.RootElement[i]);
    }

    [Fact]
    public void A_state_dict_pytorch_initialised_loads_strictly_and_gives_the_same_outputs()
    {
        RequireTorch();
        var rng = new RandomState(9);
        var inputs = new List<(Config Config, Tensor<double> X, Tensor<double>? H0, Tensor<double>? C0, string Path)>();
        for (int i = 0; i < Configs.Length; i++)
        {
            var c = Configs[i];
            var x = Random<double>(rng, c.BatchFirst ? [Batch, Steps, InputSize] : [Steps, Batch, InputSize]);
            var h0 = c.States ? Random<double>(rng, c.Layers, Batch, Hidden) : null;
            var c0 = c.States && c.Kind == "lstm" ? Random<double>(rng, c.Layers, Batch, Hidden) : null;
            inputs.Add((c, x, h0, c0, Path.Combine(_dir, $"torch{i}.safetensors")));
        }
        string cases = Path.Combine(_dir, "export.json"), script = Path.Combine(_dir, "recurrent.py");
        File.WriteAllText(script, Script);
        File.WriteAllText(cases, JsonSerializer.Serialize(inputs.Select(e => new
        {
            kind = e.Config.Kind, layers = e.Config.Layers, bias = e.Config.Bias, batch_first = e.Config.BatchFirst, input = InputSize,
            hidden = Hidden, dtype = "float64", path = e.Path, x = Json(e.X), h0 = Json(e.H0), c0 = Json(e.C0),
        })));
        using var results = JsonDocument.Parse(Python.Run(script, "export", cases));
        for (int i = 0; i < inputs.Count; i++)
        {
            var (c, x, h0, c0, path) = inputs[i];
            var module = Build<double>(c, new RandomState(0));
            StateDicts.Load(module, path);
            using (NoGrad.Scope())
            {
                var (y, hn, cn) = module.Forward(x, h0, c0);
                var torch = results.RootElement[i];
                Close($"{c} output", torch.GetProperty("y"), y, 1e-10);
                Close($"{c} h_n", torch.GetProperty("hn"), hn, 1e-10);
                if (cn is not null) Close($"{c} c_n", torch.GetProperty("cn"), cn, 1e-10);
            }
        }
    }
}
