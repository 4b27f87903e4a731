using System.Text.Json;
using Nabla.Ops;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Ops;

/// <summary>
/// erf, erfc and both GELU forms against independent implementations computed by the test's own Python scripts:
/// Python's math.erf and math.erfc (the C library's) over the whole line and the tails, and PyTorch's
/// torch.nn.functional.gelu (values and gradients, float32 and float64) on random inputs.
/// </summary>
public class ErfGeluTests
{
    // Points from −30 to 30, dense near 0 and spread out in the tails (erfc underflows past 27.3), and tiny ones.
    private const string ErfScript = """
        import json, math
        xs = [s * (math.exp(k / 40.0) - 1) for k in range(0, 140) for s in (1, -1)] + [1e-300, -3e-200, 1e-9, 0.4999, 0.5, 0.5001, 1.0, 2.0, 4.0, 3.9999]
        print(json.dumps([[x, math.erf(x), math.erfc(x)] for x in xs]))
        """;

    private static JsonElement[] Rows(string json) => JsonDocument.Parse(json).RootElement.EnumerateArray().ToArray();

    [Fact]
    public void Erf_and_its_complement_match_python_math_over_the_line_and_the_tails()
    {
        if (!Python.Has("math")) Assert.Skip("/usr/bin/python3 is not installed, so the comparison with math.erf did not run.");
        int checkedTail = 0;
        foreach (var row in Rows(Python.Run("-c", ErfScript)))
        {
            double x = row[0].GetDouble(), erf = row[1].GetDouble(), erfc = row[2].GetDouble();
            double mine = Erf.Apply(x), mineC = Erf.Complement(x);
            Assert.True(Math.Abs(mine - erf) <= 1e-15 * Math.Abs(erf), $"erf({x:R}) = {mine:R}, math.erf gives {erf:R}");
            // Below 1e-300 the result is subnormal or nearly: compare absolutely there.
            Assert.True(Math.Abs(mineC - erfc) <= 2e-15 * Math.Abs(erfc) + 1e-306, $"erfc({x:R}) = {mineC:R}, math.erfc gives {erfc:R}");
            if (x > 5 && erfc > 1e-300) checkedTail++;
        }
        Assert.True(checkedTail > 20, "the far right tail was checked");
    }

    [Fact]
    public void Erf_handles_zero_infinities_and_nan_and_float_rounds_the_double_result()
    {
        Assert.Equal(1.0, Erf.Apply(double.PositiveInfinity));
        Assert.Equal(-1.0, Erf.Apply(double.NegativeInfinity));
        Assert.True(double.IsNaN(Erf.Apply(double.NaN)) && double.IsNaN(Erf.Complement(double.NaN)));
        Assert.True(double.IsNegative(Erf.Apply(-0.0)) && Erf.Apply(-0.0) == 0);
        Assert.Equal(2.0, Erf.Complement(double.NegativeInfinity));
        Assert.Equal(0.0, Erf.Complement(double.PositiveInfinity));
        Assert.Equal(1.0, Erf.Complement(0.0));
        // erf′(x) = 2/√π·e^(−x²) against the central difference of erf itself.
        foreach (double x in new[] { -2.5, -0.7, 0.0, 0.3, 1.9 })
        {
            double h = 1e-5, numeric = (Erf.Apply(x + h) - Erf.Apply(x - h)) / (2 * h);
            Assert.True(Math.Abs(Erf.Derivative(x, Erf.Apply(x)) - numeric) < 1e-9, $"erf'({x})");
        }
        foreach (float x in new[] { -3.1f, -0.2f, 1e-20f, 0.77f, 2.5f })
            Assert.Equal((float)Erf.Apply((double)x), Erf.Apply(x));
    }

    // Φ's left tail from math.erfc: x·½·erfc(−x/√2), which keeps its relative accuracy where ½x(1 + erf(x/√2)) cancels.
    private const string TailScript = """
        import json, math
        xs = [-1.0 - 0.25 * k for k in range(0, 145)]
        print(json.dumps([[x, x * 0.5 * math.erfc(-x / math.sqrt(2))] for x in xs]))
        """;

    [Fact]
    public void Gelu_keeps_its_relative_accuracy_in_the_left_tail()
    {
        if (!Python.Has("math")) Assert.Skip("/usr/bin/python3 is not installed, so the comparison with math.erfc did not run.");
        foreach (var row in Rows(Python.Run("-c", TailScript)))
        {
            double x = row[0].GetDouble(), expected = row[1].GetDouble();
            if (expected == 0) continue;
            // The reference rounds √2 and x/√2, and erfc(z) amplifies z's relative error δ to about 2z²δ = x²δ: allowed here
            // (at x = −12.5 that is 4e-14, while ½x(1 + erf(x/√2)) computed directly would be off by more than 100 %).
            double tol = 2e-15 + x * x * 2.5e-16;
            Assert.True(Math.Abs(Gelu.Apply(x) - expected) <= tol * Math.Abs(expected), $"gelu({x:R}) = {Gelu.Apply(x):R}, x·Φ(x) from math.erfc is {expected:R}");
        }
    }

    private const string TorchScript = """
        import json
        import torch
        import torch.nn.functional as F
        torch.manual_seed(7)
        x = torch.cat([torch.randn(203, dtype=torch.float64) * 3, torch.linspace(-12, 12, 97, dtype=torch.float64)])
        g = torch.randn(x.numel(), dtype=torch.float64)
        out = {"x": x.tolist(), "g": g.tolist()}
        for dtype in (torch.float64, torch.float32):
            for form in ("none", "tanh"):
                xt = x.detach().to(dtype).clone().requires_grad_()
                y = F.gelu(xt, approximate=form)
                y.backward(g.to(dtype))
                out[f"{form}-{dtype}"] = [y.detach().double().tolist(), xt.grad.double().tolist()]
        print(json.dumps(out))
        """;

    [Fact]
    public void Both_forms_match_torch_gelu_in_values_and_gradients_in_float64_and_float32()
    {
        if (!Python.Has("torch")) Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison did not run.");
        using var doc = JsonDocument.Parse(Python.Run("-c", TorchScript));
        var root = doc.RootElement;
        double[] x = root.GetProperty("x").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double[] g = root.GetProperty("g").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        foreach (var (form, tanh) in new[] { ("none", false), ("tanh", true) })
        {
            Compare(root.GetProperty($"{form}-torch.float64"), Run(x, g, tanh), 1e-12, $"{form}, float64");
            var xf = new Tensor<float>(x.Select(v => (float)v).ToArray(), x.Length).RequireGrad();
            var yf = tanh ? xf.Apply<GeluTanh>() : xf.Apply<Gelu>();
            yf.Backward(new Tensor<float>(g.Select(v => (float)v).ToArray(), g.Length));
            Compare(root.GetProperty($"{form}-torch.float32"),
                (yf.ToArray().Select(v => (double)v).ToArray(), xf.Grad!.ToArray().Select(v => (double)v).ToArray()), 2e-6, $"{form}, float32");
        }
    }

    private static (double[] Y, double[] Dx) Run(double[] x, double[] g, bool tanh)
    {
        var xt = new Tensor<double>((double[])x.Clone(), x.Length).RequireGrad();
        var y = tanh ? xt.Apply<GeluTanh>() : xt.Apply<Gelu>();
        y.Backward(new Tensor<double>((double[])g.Clone(), g.Length));
        return (y.ToArray(), xt.Grad!.ToArray());
    }

    private static void Compare(JsonElement expected, (double[] Y, double[] Dx) actual, double tol, string what)
    {
        double[] ey = expected[0].EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double[] ed = expected[1].EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < ey.Length; i++)
        {
            Assert.True(Math.Abs(actual.Y[i] - ey[i]) <= tol * Math.Max(1, Math.Abs(ey[i])), $"gelu {what}: y[{i}] = {actual.Y[i]:R}, torch {ey[i]:R}");
            Assert.True(Math.Abs(actual.Dx[i] - ed[i]) <= tol * Math.Max(1, Math.Abs(ed[i])), $"gelu {what}: dx[{i}] = {actual.Dx[i]:R}, torch {ed[i]:R}");
        }
    }
}
