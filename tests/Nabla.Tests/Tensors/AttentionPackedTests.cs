using System.Text.Json;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Attention read in place from a fused [B, T, 3C] projection (nanoGPT's c_attn layout): equal to the three-tensor form
/// on the transposed head views, and to nanoGPT's own split/view/transpose attention written in PyTorch by the script.
/// </summary>
public class AttentionPackedTests
{
    private static Tensor<double> Random(Random r, params int[] shape)
    {
        var d = new double[Shapes.ElementCount(shape)];
        for (int i = 0; i < d.Length; i++) d[i] = r.NextDouble() * 4 - 2;
        return new Tensor<double>(d, shape);
    }

    // nanoGPT's CausalSelfAttention between c_attn and c_proj, with Nabla's three-tensor attention.
    private static Tensor<double> ViaViews(Tensor<double> qkv, int heads, bool causal)
    {
        int b = qkv.Shape[0], t = qkv.Shape[1], c = qkv.Shape[2] / 3;
        Tensor<double> Part(int i) => qkv.Slice(2, i * c, (i + 1) * c).Reshape(b, t, heads, c / heads).Transpose(1, 2);
        return Tensor<double>.ScaledDotProductAttention(Part(0), Part(1), Part(2), causal).Transpose(1, 2).Reshape(b, t, c);
    }

    [Theory]
    [InlineData(2, 5, 8, 4, false)]
    [InlineData(2, 5, 8, 4, true)]
    [InlineData(3, 1, 6, 3, true)]
    [InlineData(4, 64, 64, 4, true)]   // 16 problems of 64 × 64: both cores
    public void Equals_the_three_tensor_form_on_the_head_views(int b, int t, int c, int heads, bool causal)
    {
        var r = new Random(b * 1000 + t * 10 + c);
        var qkv = Random(r, b, t, 3 * c).RequireGrad();
        var g = Random(r, b, t, c);
        var packed = Tensor<double>.ScaledDotProductAttention(qkv, heads, causal);
        packed.Backward(g);
        var fusedGrad = qkv.Grad!;
        qkv.Grad = null;
        var views = ViaViews(qkv, heads, causal);
        views.Backward(g);
        Assert.True(packed.AllClose(views, 1e-13, 1e-13), "outputs differ");
        Assert.True(fusedGrad.AllClose(qkv.Grad!, 1e-12, 1e-13), "gradients of qkv differ");
    }

    private const string Script = """
        import json, math, sys
        import torch
        torch.manual_seed(3)
        B, T, C, H = 2, 6, 12, 3
        x = torch.randn(B, T, 3 * C, dtype=torch.float64)
        g = torch.randn(B, T, C, dtype=torch.float64)
        out = {"qkv": x.flatten().tolist(), "g": g.flatten().tolist()}
        for dtype in (torch.float64, torch.float32):
            qkv = x.to(dtype).clone().requires_grad_()
            q, k, v = qkv.split(C, dim=2)
            q, k, v = (t.view(B, T, H, C // H).transpose(1, 2) for t in (q, k, v))
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(torch.tril(torch.ones(T, T)).view(1, 1, T, T) == 0, float("-inf"))
            y = (torch.softmax(att, dim=-1) @ v).transpose(1, 2).contiguous().view(B, T, C)
            y.backward(g.to(dtype))
            out[str(dtype)] = [y.detach().double().flatten().tolist(), qkv.grad.double().flatten().tolist()]
        print(json.dumps(out))
        """;

    [Fact]
    public void Matches_nanogpt_causal_self_attention_written_in_pytorch()
    {
        if (!Python.Has("torch")) Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison did not run.");
        using var doc = JsonDocument.Parse(Python.Run("-c", Script));
        var root = doc.RootElement;
        double[] x = root.GetProperty("qkv").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double[] g = root.GetProperty("g").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var q64 = new Tensor<double>(x, 2, 6, 36).RequireGrad();
        var y64 = Tensor<double>.ScaledDotProductAttention(q64, 3, causal: true);
        y64.Backward(new Tensor<double>(g, 2, 6, 12));
        Compare(root.GetProperty("torch.float64"), y64.ToArray(), q64.Grad!.ToArray(), 1e-12, "float64");
        var q32 = new Tensor<float>(x.Select(v => (float)v).ToArray(), 2, 6, 36).RequireGrad();
        var y32 = Tensor<float>.ScaledDotProductAttention(q32, 3, causal: true);
        y32.Backward(new Tensor<float>(g.Select(v => (float)v).ToArray(), 2, 6, 12));
        Compare(root.GetProperty("torch.float32"), [.. y32.ToArray().Select(v => (double)v)], [.. q32.Grad!.ToArray().Select(v => (double)v)], 3e-5, "float32");
    }

    private static void Compare(JsonElement expected, double[] y, double[] grad, double tol, string what)
    {
        double[][] want = [.. expected.EnumerateArray().Select(a => a.EnumerateArray().Select(e => e.GetDouble()).ToArray())];
        double[][] got = [y, grad];
        for (int t = 0; t < 2; t++)
        {
            Assert.Equal(want[t].Length, got[t].Length);
            for (int i = 0; i < want[t].Length; i++)
                Assert.True(Math.Abs(got[t][i] - want[t][i]) <= tol * Math.Max(1, Math.Abs(want[t][i])),
                    $"{what}: {(t == 0 ? "y" : "dqkv")}[{i}] = {got[t][i]:R}, torch {want[t][i]:R}");
        }
    }

    [Fact]
    public void Projections_that_do_not_split_are_refused()
    {
        var e = Assert.Throws<NablaException>(() => Tensor<double>.ScaledDotProductAttention(Tensor<double>.Zeros(4, 12), 2));
        Assert.Contains("[B, T, 3C]", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.ScaledDotProductAttention(Tensor<double>.Zeros(2, 4, 10), 2));
        Assert.Contains("got (2, 4, 10)", e.Message);
        var a = Assert.Throws<NablaArgumentException>(() => Tensor<double>.ScaledDotProductAttention(Tensor<double>.Zeros(2, 4, 12), 3));
        Assert.Equal("heads", a.Parameter);
        Assert.Contains("divide C = 4", a.Message);
        a = Assert.Throws<NablaArgumentException>(() => Tensor<double>.ScaledDotProductAttention(Tensor<double>.Zeros(2, 4, 12), 0));
        Assert.Equal("heads", a.Parameter);
    }

    [Fact]
    public void A_call_allocates_no_score_matrix_only_its_row_statistics_and_bookkeeping()
    {
        // [1, 2, 128, 8] in float: the scores would be 2·128·128·4 = 128 KiB, the output 8 KiB, the row statistics 1 KiB.
        var r = new Random(9);
        var q = new Tensor<float>([.. Enumerable.Range(0, 2 * 128 * 8).Select(_ => (float)r.NextDouble())], 1, 2, 128, 8);
        void Call()
        {
            using var scope = TensorScope.Begin();   // the output goes back to the pool when the scope ends
            Tensor<float>.ScaledDotProductAttention(q, q, q, causal: true);
        }
        Call();
        long bytes = AllocationMeasure.Least(Call);
        Assert.True(bytes < 4096, $"one attention call allocated {bytes} bytes on the calling thread");
    }
}
