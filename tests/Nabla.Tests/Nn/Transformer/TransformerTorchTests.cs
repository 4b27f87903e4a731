using System.Text.Json;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Nn.Transformer;

/// <summary>
/// MultiheadAttention, TransformerEncoderLayer, GptBlock and Gpt against PyTorch in float64: Nabla's state dict (saved
/// with <see cref="StateDicts.Save{T}"/>) loads strictly into torch's module of the same shape, outputs and gradients
/// (inputs and every parameter, the tied matrix included) agree to 1e-10, and a torch-initialised module's state loads
/// strictly back into Nabla and gives torch's outputs.
/// </summary>
public sealed class TransformerTorchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-transformer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Case(string Kind, object Args, Func<Module<double>> Build, Tensor<double>[] Inputs,
        Func<Module<double>, Tensor<double>[], (Tensor<double> Y, Tensor<double>? W)> Run,
        Dictionary<string, Tensor<double>>? Masks = null, IndexTensor? Ids = null, Func<Module<float>>? Float = null);

    private static Tensor<double> Randn(RandomState rng, params int[] shape) => new(rng.StandardNormal(shape), shape);

    /// <summary>A 0/1 mask with <paramref name="hidden"/> set entries, never a whole last-axis row.</summary>
    private static Tensor<double> Holes(int rows, int cols, params (int Row, int Col)[] hidden)
    {
        var m = Tensor<double>.Zeros(rows, cols);
        foreach (var (r, c) in hidden) m[r, c] = 1;
        return m;
    }

    private static IEnumerable<Case> Cases()
    {
        var rng = new RandomState(3);
        MultiheadAttention<double> Mha(bool bf, bool bias = true) => new(8, 2, bias: bias, batchFirst: bf, rng: rng);
        (Tensor<double>, Tensor<double>?) Mhf(Module<double> m, Tensor<double>[] x, Dictionary<string, Tensor<double>>? masks, bool causal, bool weights,
            AttentionMaskKind kind = AttentionMaskKind.Boolean)
        {
            var (q, k, v) = x.Length == 1 ? (x[0], x[0], x[0]) : (x[0], x[1], x[2]);
            return ((MultiheadAttention<double>)m).Forward(q, k, v, masks?.GetValueOrDefault("padding"), masks?.GetValueOrDefault("attn"), causal, weights, kind);
        }
        var pad = new Dictionary<string, Tensor<double>> { ["padding"] = Holes(2, 5, (0, 4), (1, 2), (1, 3)) };
        yield return new("mha", new { e = 8, h = 2, bias = true, bf = false, weights = false }, () => Mha(false), [Randn(rng, 5, 2, 8)],
            (m, x) => Mhf(m, x, null, false, false));
        yield return new("mha", new { e = 8, h = 2, bias = true, bf = true, weights = false, causal = true }, () => Mha(true), [Randn(rng, 2, 5, 8)],
            (m, x) => Mhf(m, x, pad, true, false), pad);
        var additive = new Dictionary<string, Tensor<double>> { ["attn"] = Randn(rng, 4, 6) };
        yield return new("mha", new { e = 8, h = 2, bias = true, bf = false, weights = true, additive = true }, () => Mha(false),
            [Randn(rng, 4, 2, 8), Randn(rng, 6, 2, 8), Randn(rng, 6, 2, 8)], (m, x) => Mhf(m, x, additive, false, true, AttentionMaskKind.Additive), additive);
        var both = new Dictionary<string, Tensor<double>>
        {
            ["padding"] = Holes(2, 6, (0, 5), (1, 1)),
            ["attn"] = Holes(4 * 4, 6, (0, 0), (3, 2), (9, 4), (15, 3)).Reshape(4, 4, 6),
        };
        yield return new("mha", new { e = 8, h = 2, bias = false, bf = true, weights = false }, () => Mha(true, bias: false),
            [Randn(rng, 2, 4, 8), Randn(rng, 2, 6, 8), Randn(rng, 2, 6, 8)], (m, x) => Mhf(m, x, both, false, false), both);
        yield return new("tel", new { e = 8, h = 2, ff = 16, act = "relu", bf = false, nf = false },
            () => new TransformerEncoderLayer<double>(8, 2, 16, dropout: 0, rng: rng), [Randn(rng, 5, 2, 8)],
            (m, x) => (m.Forward(x[0]), null));
        yield return new("tel", new { e = 8, h = 2, ff = 16, act = "gelu", bf = true, nf = true, causal = true },
            () => new TransformerEncoderLayer<double>(8, 2, 16, 0, TransformerActivation.Gelu, batchFirst: true, normFirst: true, rng: rng), [Randn(rng, 2, 5, 8)],
            (m, x) => (((TransformerEncoderLayer<double>)m).Forward(x[0], null, pad["padding"], isCausal: true), null), pad);
        yield return new("block", new { e = 8, h = 2, bias = true }, () => new GptBlock<double>(8, 2, rng), [Randn(rng, 2, 5, 8)], (m, x) => (m.Forward(x[0]), null),
            Float: () => new GptBlock<float>(8, 2, rng));
        yield return new("block", new { e = 8, h = 4, bias = false }, () => new GptBlock<double>(8, 4, rng, bias: false), [Randn(rng, 2, 3, 8)],
            (m, x) => (m.Forward(x[0]), null));
        var ids = IndexTensor.FromArray([1, 4, 0, 10, 4, 7, 2, 2, 9, 3, 5, 6], 2, 6);
        yield return new("gpt", new { vocab = 11, block = 8, layers = 2, h = 2, e = 8, bias = true },
            () => new Gpt<double>(new GptConfig(11, 8, 2, 2, 8), rng), [], (m, _) => (((Gpt<double>)m).Forward(ids), null), Ids: ids,
            Float: () => new Gpt<float>(new GptConfig(11, 8, 2, 2, 8), rng));
    }

    [Fact]
    public void State_dicts_outputs_and_gradients_match_pytorch_both_ways()
    {
        if (!Python.Has("torch", "numpy"))
            Assert.Skip("/usr/bin/python3 with PyTorch and NumPy is not installed (apt-get install python3-torch), so the comparison did not run.");
        var cases = Cases().ToList();
        var modules = new List<Module<double>>();
        var payload = new List<object>();
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var m = c.Build();
            modules.Add(m);
            string file = Path.Combine(_dir, $"nabla{i}.safetensors"), back = Path.Combine(_dir, $"torch{i}.safetensors");
            StateDicts.Save(m, file);
            payload.Add(new
            {
                kind = c.Kind, args = c.Args, file, back,
                inputs = c.Inputs.Select(Json),
                masks = (c.Masks ?? []).ToDictionary(kv => kv.Key, kv => Json(kv.Value)),
                ids = c.Ids is null ? null : new { data = c.Ids.ToArray(), shape = c.Ids.Shape.ToArray() },
            });
        }
        string script = Path.Combine(_dir, "transformer.py"), input = Path.Combine(_dir, "cases.json");
        File.WriteAllText(script, TransformerTorchScript.Text);
        File.WriteAllText(input, JsonSerializer.Serialize(payload));
        using var results = JsonDocument.Parse(Python.Run(script, input));
        for (int i = 0; i < cases.Count; i++)
        {
            var (c, m, r) = (cases[i], modules[i], results.RootElement[i]);
            string what = $"case {i} ({c.Kind} {JsonSerializer.Serialize(c.Args)})";
            Assert.Equal(r.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!), m.StateDict().Keys);
            var xs = c.Inputs.Select(x => x.Clone().Detach().RequireGrad()).ToArray();
            var (y, w) = c.Run(m, xs);
            AssertClose(r.GetProperty("out"), y.ToArray(), $"{what} output");
            if (w is not null) AssertClose(r.GetProperty("weights"), w.ToArray(), $"{what} attention weights");
            y.Backward(new Tensor<double>(Enumerable.Range(0, y.ElementCount).Select(k => Math.Cos(k)).ToArray(), [.. y.Shape]));
            for (int k = 0; k < xs.Length; k++) AssertClose(r.GetProperty("input_grads")[k], xs[k].Grad!.ToArray(), $"{what} gradient of input {k}");
            var grads = r.GetProperty("param_grads");
            Assert.Equal(grads.EnumerateObject().Select(p => p.Name), m.NamedParameters().Select(kv => kv.Key));
            foreach (var (name, p) in m.NamedParameters()) AssertClose(grads.GetProperty(name), p.Grad!.ToArray(), $"{what} gradient of {name}");

            if (c.Float is not null) CheckFloat32(c, r, Path.Combine(_dir, $"nabla{i}.safetensors"), what);

            var fresh = c.Build();
            StateDicts.Load(fresh, Path.Combine(_dir, $"torch{i}.safetensors"));
            using (NoGrad.Scope()) AssertClose(r.GetProperty("back_out"), c.Run(fresh, c.Inputs).Y.ToArray(), $"{what} output with torch's weights");
        }
    }

    /// <summary>The same weights rounded to float32: outputs and parameter gradients within 2e-5 (relative to 1 + |torch|) of torch's float64.</summary>
    private static void CheckFloat32(Case c, JsonElement r, string file, string what)
    {
        var m = c.Float!();
        StateDicts.Load(m, file);
        var y = c.Ids is not null ? ((Gpt<float>)m).Forward(c.Ids) : m.Forward(new Tensor<float>(c.Inputs[0].ToArray().Select(v => (float)v).ToArray(), [.. c.Inputs[0].Shape]));
        AssertClose(r.GetProperty("out"), [.. y.ToArray().Select(v => (double)v)], $"{what} float32 output", 2e-5);
        y.Backward(new Tensor<float>(Enumerable.Range(0, y.ElementCount).Select(k => (float)Math.Cos(k)).ToArray(), [.. y.Shape]));
        foreach (var (name, p) in m.NamedParameters())
            AssertClose(r.GetProperty("param_grads").GetProperty(name), [.. p.Grad!.ToArray().Select(v => (double)v)], $"{what} float32 gradient of {name}", 2e-5);
    }

    private static object Json(Tensor<double> t) => new { data = t.ToArray(), shape = t.Shape.ToArray() };

    private static void AssertClose(JsonElement expected, double[] actual, string what, double tolerance = 1e-10)
    {
        var e = expected.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.True(e.Length == actual.Length, $"{what}: torch has {e.Length} values, Nabla {actual.Length}");
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - actual[i]) <= tolerance * (1 + Math.Abs(e[i])), $"{what} [{i}]: torch {e[i]:R}, Nabla {actual[i]:R}");
    }
}
