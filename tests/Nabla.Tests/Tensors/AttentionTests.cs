using System.Text.Json;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Fused scaled-dot-product attention against PyTorch (values and the gradients of q, k, v, float64 and float32; the
/// installed torch has no SDPA, so the script writes softmax(q·kᵀ·scale + mask)·v itself) and against the composition of
/// Nabla's own MatMul, MaskedFill and Softmax; masked positions, hidden rows and refusals.
/// </summary>
public class AttentionTests
{
    private const string Script = """
        import json, math
        import torch
        torch.manual_seed(11)
        cases = [("plain", (2, 3, 5, 4), 7, 6), ("causal", (2, 3, 5, 4), 5, 3), ("causal", (2, 3, 6, 4), 4, 4),
                 ("causal", (1, 2, 3, 5), 6, 2), ("mask", (2, 3, 5, 4), 7, 6), ("causal+mask", (2, 2, 5, 3), 5, 4)]
        out = []
        for kind, (b, h, l, e), s, ev in cases:
            q, k, v = torch.randn(b, h, l, e, dtype=torch.float64), torch.randn(b, h, s, e, dtype=torch.float64), torch.randn(b, h, s, ev, dtype=torch.float64)
            mask = torch.randn(l, s, dtype=torch.float64)
            mask[(torch.arange(l)[:, None] + torch.arange(s)[None, :]) % 3 == 1] = -math.inf
            mask[:, 0] = 0.0
            g = torch.randn(b, h, l, ev, dtype=torch.float64)
            case = {"kind": kind, "q": q.tolist(), "k": k.tolist(), "v": v.tolist(), "mask": mask.tolist() if "mask" in kind else None, "g": g.tolist()}
            for dtype in (torch.float64, torch.float32):
                qs, ks, vs = (t.to(dtype).clone().requires_grad_() for t in (q, k, v))
                scores = qs @ ks.transpose(-2, -1) * (1 / math.sqrt(e))
                if "mask" in kind:
                    scores = scores + mask.to(dtype)
                if "causal" in kind:
                    scores = scores.masked_fill(torch.ones(l, s, dtype=torch.bool).triu(1), -math.inf)
                o = torch.softmax(scores, -1) @ vs
                o.backward(g.to(dtype))
                case[str(dtype)] = [t.double().flatten().tolist() for t in (o.detach(), qs.grad, ks.grad, vs.grad)]
            out.append(case)
        print(json.dumps(out).replace("-Infinity", "null"))
        """;

    private static Tensor<TT> FromJson<TT>(JsonElement e) where TT : unmanaged, System.Numerics.IFloatingPointIeee754<TT>
    {
        var shape = new List<int>();
        for (var x = e; x.ValueKind == JsonValueKind.Array; x = x[0]) shape.Add(x.GetArrayLength());
        var data = new List<TT>();
        void Walk(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Array) foreach (var c in x.EnumerateArray()) Walk(c);
            else data.Add(x.ValueKind == JsonValueKind.Null ? TT.NegativeInfinity : TT.CreateChecked(x.GetDouble()));
        }
        Walk(e);
        return new Tensor<TT>(data.ToArray(), shape.ToArray());
    }

    [Fact]
    public void Values_and_gradients_match_pytorch_in_float64_and_float32()
    {
        if (!Python.Has("torch")) Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison did not run.");
        using var doc = JsonDocument.Parse(Python.Run("-c", Script));
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            string kind = c.GetProperty("kind").GetString()!;
            Check<double>(c, kind, "torch.float64", 1e-12);
            Check<float>(c, kind, "torch.float32", 3e-5);
        }
    }

    private static void Check<TT>(JsonElement c, string kind, string dtype, double tol) where TT : unmanaged, System.Numerics.IFloatingPointIeee754<TT>
    {
        var q = FromJson<TT>(c.GetProperty("q")).RequireGrad();
        var k = FromJson<TT>(c.GetProperty("k")).RequireGrad();
        var v = FromJson<TT>(c.GetProperty("v")).RequireGrad();
        var mask = c.GetProperty("mask").ValueKind == JsonValueKind.Null ? null : FromJson<TT>(c.GetProperty("mask"));
        var o = Tensor<TT>.ScaledDotProductAttention(q, k, v, causal: kind.Contains("causal"), mask: mask);
        o.Backward(FromJson<TT>(c.GetProperty("g")));
        var expected = c.GetProperty(dtype).EnumerateArray().ToArray();
        Tensor<TT>[] actual = [o, q.Grad!, k.Grad!, v.Grad!];
        string[] names = ["output", "dq", "dk", "dv"];
        for (int t = 0; t < 4; t++)
        {
            var want = expected[t].EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var got = actual[t].ToArray();
            Assert.Equal(want.Length, got.Length);
            for (int i = 0; i < want.Length; i++)
            {
                double a = double.CreateChecked(got[i]);
                Assert.True(Math.Abs(a - want[i]) <= tol * Math.Max(1, Math.Abs(want[i])),
                    $"{kind}, {dtype}, shape {Shapes.Format([.. q.Shape])}: {names[t]}[{i}] = {a:R}, torch {want[i]:R}");
            }
        }
    }

    private static Tensor<double> Random(Random r, params int[] shape)
    {
        var d = new double[Shapes.ElementCount(shape)];
        for (int i = 0; i < d.Length; i++) d[i] = r.NextDouble() * 4 - 2;
        return new Tensor<double>(d, shape);
    }

    // The plain form from Nabla's own ops: MatMul, the scale, the mask, MaskedFill(causal, −∞), Softmax, MatMul.
    private static Tensor<double> Composition(Tensor<double> q, Tensor<double> k, Tensor<double> v, bool causal, Tensor<double>? mask)
    {
        var s = q.MatMul(k.Transpose(-2, -1)) * (1 / Math.Sqrt(q.Shape[^1]));
        if (mask is not null) s += mask;
        if (causal) s = s.MaskedFill(Tensor<double>.CausalMask(q.Shape[^2], k.Shape[^2]), double.NegativeInfinity);
        return s.Softmax(-1).MatMul(v);
    }

    [Theory]
    [InlineData(1, 1, false, false)]
    [InlineData(3, 3, true, false)]
    [InlineData(16, 17, true, true)]
    [InlineData(17, 15, false, true)]
    [InlineData(64, 64, true, false)]   // 4·4 problems of 64 × 64: large enough to run on both cores
    [InlineData(65, 63, true, true)]
    public void Fused_attention_equals_the_composition_of_matmul_masked_fill_and_softmax(int l, int s, bool causal, bool masked)
    {
        var r = new Random(l * 100 + s);
        int heads = l >= 64 ? 4 : 2;
        var q = Random(r, 4, heads, l, 8).RequireGrad();
        var k = Random(r, 4, heads, s, 8).RequireGrad();
        var v = Random(r, 4, heads, s, 5).RequireGrad();
        var mask = masked ? TensorOpTable.AdditiveMask(l, s, hideRow: false) : null;
        var g = Random(r, 4, heads, l, 5);
        var fused = Tensor<double>.ScaledDotProductAttention(q, k, v, causal, mask);
        fused.Backward(g);
        Tensor<double>[] fusedGrads = [q.Grad!, k.Grad!, v.Grad!];
        q.Grad = k.Grad = v.Grad = null;
        var plain = Composition(q, k, v, causal, mask);
        plain.Backward(g);
        Assert.True(fused.AllClose(plain, 1e-12, 1e-12), "outputs differ");
        Tensor<double>[] plainGrads = [q.Grad!, k.Grad!, v.Grad!];
        for (int i = 0; i < 3; i++) Assert.True(fusedGrads[i].AllClose(plainGrads[i], 1e-11, 1e-12), $"gradient of input {i} differs");
    }

    [Fact]
    public void Softmax_after_masked_fill_with_minus_infinity_gives_exact_zeros_and_finite_gradients()
    {
        var x = Random(new Random(3), 4, 4).RequireGrad();
        var p = x.MaskedFill(Tensor<double>.CausalMask(4), double.NegativeInfinity).Softmax();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                if (j > i) Assert.Equal(0.0, p[i, j]);
        Assert.Equal(1.0, p[0, 0]);
        (p * Random(new Random(4), 4, 4)).Sum().Backward();
        Assert.All(x.Grad!.ToArray(), d => Assert.True(double.IsFinite(d)));
        for (int j = 1; j < 4; j++) Assert.Equal(0.0, x.Grad![0, j]);
        // A row of −∞ only gives NaN, as torch.softmax does.
        var all = Tensor<double>.Full(double.NegativeInfinity, 3).Softmax();
        Assert.All(all.ToArray(), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void A_query_that_sees_no_key_gets_output_zero_and_gradient_zero()
    {
        var r = new Random(5);
        var q = Random(r, 1, 3, 4).RequireGrad();
        var k = Random(r, 1, 5, 4).RequireGrad();
        var v = Random(r, 1, 5, 2).RequireGrad();
        var mask = TensorOpTable.AdditiveMask(3, 5, hideRow: true);   // row 1 all −∞
        var o = Tensor<double>.ScaledDotProductAttention(q, k, v, mask: mask);
        Assert.Equal([0.0, 0.0], [o[0, 1, 0], o[0, 1, 1]]);
        o.Sum().Backward();
        for (int e = 0; e < 4; e++) Assert.Equal(0.0, q.Grad![0, 1, e]);
        Assert.All(k.Grad!.ToArray().Concat(v.Grad!.ToArray()), d => Assert.True(double.IsFinite(d)));
        // Zero keys at all: every output is 0.
        var none = Tensor<double>.ScaledDotProductAttention(Random(r, 2, 3), Tensor<double>.Zeros(0, 3), Tensor<double>.Zeros(0, 2));
        Assert.All(none.ToArray(), x => Assert.Equal(0.0, x));
    }

    [Fact]
    public void Tril_and_triu_keep_the_triangles_of_the_last_two_dimensions()
    {
        var x = Tensor<double>.Arange(24).Reshape(2, 3, 4) + 1;
        var lower = x.Tril(); var strict = x.Tril(-1); var upper = x.Triu(1);
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++)
                {
                    double v = x[b, i, j];
                    Assert.Equal(j <= i ? v : 0, lower[b, i, j]);
                    Assert.Equal(j < i ? v : 0, strict[b, i, j]);
                    Assert.Equal(j >= i + 1 ? v : 0, upper[b, i, j]);
                }
        var m = Tensor<double>.CausalMask(2, 3);
        Assert.Equal([0.0, 1, 1, 0, 0, 1], m.ToArray());
    }

    [Fact]
    public void Shapes_that_do_not_fit_are_refused_naming_the_shapes()
    {
        var q = Tensor<double>.Zeros(2, 3, 4);
        var e = Assert.Throws<NablaException>(() => Tensor<double>.ScaledDotProductAttention(q, Tensor<double>.Zeros(2, 5, 3), Tensor<double>.Zeros(2, 5, 3)));
        Assert.Contains("query has E = 4 features but key has 3", e.Message);
        Assert.Contains("query (2, 3, 4), key (2, 5, 3)", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.ScaledDotProductAttention(q, Tensor<double>.Zeros(2, 5, 4), Tensor<double>.Zeros(2, 6, 3)));
        Assert.Contains("key has S = 5 positions but value has 6", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.ScaledDotProductAttention(q, Tensor<double>.Zeros(3, 5, 4), Tensor<double>.Zeros(3, 5, 3)));
        Assert.Contains("same leading dimensions", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.ScaledDotProductAttention(Tensor<double>.Zeros(4), q, q));
        Assert.Contains("at least two dimensions", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.ScaledDotProductAttention(q, Tensor<double>.Zeros(2, 5, 4), Tensor<double>.Zeros(2, 5, 3), mask: Tensor<double>.Zeros(3, 4)));
        Assert.Contains("mask of shape (3, 4) does not broadcast to the scores' shape (2, 3, 5)", e.Message);
        var a = Assert.Throws<NablaArgumentException>(() => Tensor<double>.ScaledDotProductAttention(q, q, q, scale: double.PositiveInfinity));
        Assert.Equal("scale", a.Parameter);
        e = Assert.Throws<NablaException>(() => q.MaskedFill(Tensor<double>.Zeros(3, 1, 4), 0));
        Assert.Contains("mask of shape (3, 1, 4) does not broadcast to the input's shape (2, 3, 4)", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.Zeros(4).Tril());
        Assert.Contains("tril needs at least two dimensions", e.Message);
        Assert.Equal("queries", Assert.Throws<NablaArgumentException>(() => Tensor<double>.CausalMask(-2)).Parameter);
        Assert.Equal("keys", Assert.Throws<NablaArgumentException>(() => Tensor<double>.CausalMask(100_000, 100_000)).Parameter);
    }
}
