using System.Globalization;
using System.Text.Json;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Optim;

/// <summary>Gradient clipping against torch.nn.utils.clip_grad_norm_ and clip_grad_value_ on the same gradients.</summary>
public sealed class GradClipTests
{
    // argv: the gradients as JSON lists (null: no gradient), then the call; prints the total norm and the gradients after.
    private const string Script = """
        import json, sys, math
        import torch
        grads = json.loads(sys.argv[1])
        kind, a, b = sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
        ps = []
        for g in grads:
            p = torch.zeros(len(g) if g is not None else 1, dtype=torch.float64, requires_grad=True)
            if g is not None: p.grad = torch.tensor(g, dtype=torch.float64)
            ps.append(p)
        if kind == "norm":
            total = float(torch.nn.utils.clip_grad_norm_(ps, a, norm_type=b))
        else:
            torch.nn.utils.clip_grad_value_(ps, a); total = 0.0
        print(json.dumps({"total": total, "grads": [p.grad.tolist() if p.grad is not None else None for p in ps]}))
        """;

    private static Tensor<double>[] Parameters(RandomState rng, double scale)
    {
        int[] sizes = [7, 1, 13, 4];
        var ps = sizes.Select(n => Tensor<double>.Zeros(n).RequireGrad()).ToArray();
        for (int i = 0; i < ps.Length; i++)
            if (i != 1) ps[i].Grad = new Tensor<double>([.. rng.Randn(sizes[i]).Select(v => v * scale)], sizes[i]);
        return ps;
    }

    private static void AgreesWithTorch(Tensor<double>[] ps, string kind, double a, double b, Func<double> clip)
    {
        string grads = JsonSerializer.Serialize(ps.Select(p => p.Grad?.ToArray()).ToArray());
        using var doc = JsonDocument.Parse(Python.Run("-c", Script, grads, kind, a.ToString("R", CultureInfo.InvariantCulture), b.ToString("R", CultureInfo.InvariantCulture)));
        double total = clip();
        double want = doc.RootElement.GetProperty("total").GetDouble();
        Assert.True(Math.Abs(total - want) <= 1e-13 * want, $"{kind} {a} {b}: total norm PyTorch {want:R}, Nabla {total:R}");
        var after = doc.RootElement.GetProperty("grads").EnumerateArray().ToArray();
        for (int i = 0; i < ps.Length; i++)
        {
            if (after[i].ValueKind == JsonValueKind.Null) { Assert.Null(ps[i].Grad); continue; }
            var expected = after[i].EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var got = ps[i].Grad!.ToArray();
            for (int j = 0; j < got.Length; j++)
                Assert.True(Math.Abs(got[j] - expected[j]) <= 1e-13 * Math.Max(1e-300, Math.Abs(expected[j])),
                    $"{kind} {a} {b}: parameter {i}, element {j}: PyTorch {expected[j]:R}, Nabla {got[j]:R}");
        }
    }

    [Theory]
    [InlineData(1.0, 2.0)]
    [InlineData(100.0, 2.0)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.5, double.PositiveInfinity)]
    [InlineData(2.0, 3.0)]
    public void ClipGradNorm_returns_the_total_norm_and_scales_as_pytorch_does(double maxNorm, double normType)
    {
        if (!Python.Has("torch"))
            Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison did not run.");
        var ps = Parameters(new RandomState(5), 0.7);
        AgreesWithTorch(ps, "norm", maxNorm, normType, () => GradClip.ClipGradNorm(ps, maxNorm, normType));
    }

    [Fact]
    public void ClipGradValue_clamps_as_pytorch_does()
    {
        if (!Python.Has("torch"))
            Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison did not run.");
        var ps = Parameters(new RandomState(6), 1.0);
        AgreesWithTorch(ps, "value", 0.4, 0, () => { GradClip.ClipGradValue(ps, 0.4); return 0; });
    }

    [Fact]
    public void The_clipped_norm_is_max_norm_and_a_small_norm_is_left_alone()
    {
        var ps = Parameters(new RandomState(7), 3.0);
        double before = GradClip.ClipGradNorm(ps, 1e6);
        double after = Math.Sqrt(ps.Where(p => p.Grad is not null).Sum(p => p.Grad!.ToArray().Sum(v => v * v)));
        Assert.Equal(before, after, 12);   // maxNorm above the norm: nothing scaled
        GradClip.ClipGradNorm(ps, 0.25);
        after = Math.Sqrt(ps.Where(p => p.Grad is not null).Sum(p => p.Grad!.ToArray().Sum(v => v * v)));
        Assert.Equal(0.25 * before / (before + 1e-6), after, 12);
    }

    [Fact]
    public void A_nonfinite_norm_throws_naming_it_when_asked_and_bad_arguments_are_refused()
    {
        var ps = Parameters(new RandomState(8), 1.0);
        ps[0].Grad!.AsSpan()[3] = double.PositiveInfinity;
        var keep = ps[2].Grad!.ToArray();
        var e = Assert.Throws<NablaException>(() => GradClip.ClipGradNorm(ps, 1.0, errorIfNonfinite: true));
        Assert.Contains("the total 2-norm of the gradients is ∞", e.Message.Replace("Infinity", "∞"));
        Assert.Equal(keep, ps[2].Grad!.ToArray());
        Assert.Contains("maxNorm is 0", Assert.Throws<NablaArgumentException>(() => GradClip.ClipGradNorm(ps, 0)).Message);
        Assert.Contains("normType is 0.5", Assert.Throws<NablaArgumentException>(() => GradClip.ClipGradNorm(ps, 1, 0.5)).Message);
        Assert.Contains("clipValue is -1", Assert.Throws<NablaArgumentException>(() => GradClip.ClipGradValue(ps, -1)).Message);
        Assert.Equal(0, GradClip.ClipGradNorm([Tensor<double>.Zeros(2).RequireGrad()], 1.0));
    }
}
