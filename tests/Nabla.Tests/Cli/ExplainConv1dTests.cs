using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nabla.Tests.Training;

namespace Nabla.Tests.Cli;

/// <summary>
/// <c>nabla explain --example conv1d</c>: the printed convolution, loss and gradients against values computed here
/// without the engine (finite differences of the loss written from its definition, and NumPy's <c>correlate</c> and
/// <c>convolve</c>), and the flipped-kernel statement against the input gradient.
/// </summary>
public sealed partial class ExplainConv1dTests
{
    private static readonly double[] X = [1, 2, -1, 3, 0.5], W = [0.5, -1, 2], T = [-3, 7, -2];

    private static double Loss(double[] x, double[] w)
    {
        double sum = 0;
        for (int i = 0; i < T.Length; i++)
        {
            double y = -T[i];
            for (int j = 0; j < w.Length; j++) y += w[j] * x[i + j];
            sum += 0.5 * y * y;
        }
        return sum;
    }

    /// <summary>Central differences of the quadratic loss: exact up to rounding for any step.</summary>
    private static double[] Differences(double[] at, Func<double[], double> f) =>
        [.. at.Select((_, i) =>
        {
            var up = (double[])at.Clone();
            var down = (double[])at.Clone();
            up[i] += 0.5;
            down[i] -= 0.5;
            return f(up) - f(down);
        })];

    private static double[] Numbers(string list) =>
        [.. list.Split(',', StringSplitOptions.TrimEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];

    [Fact]
    public void The_flipped_kernel_statement_prints_the_input_gradient()
    {
        var (exit, stdout, stderr) = CliRunner.Run("explain", "--example", "conv1d");
        Assert.True(exit == 0, stderr);
        var dx = Differences(X, x => Loss(x, W));
        var dw = Differences(W, w => Loss(X, w));

        var statement = StatementLine().Match(stdout);
        Assert.True(statement.Success, stdout);
        Close(dx, Numbers(statement.Groups[1].Value), 1e-9);
        Assert.Contains("The gradient w.r.t. the input is a correlation with the flipped kernel", stdout);
        Assert.Contains("flip the kernel: [2, -1, 0.5]", stdout);
        Assert.Contains("equal to the backward pass above", stdout);
        for (int p = 0; p < X.Length; p++)
            Assert.Equal(dx[p], double.Parse(Regex.Match(stdout, $@"∂L/∂x\[{p}\] = .* = (\S+)\n").Groups[1].Value, CultureInfo.InvariantCulture), 1e-9);
        for (int j = 0; j < W.Length; j++)
            Assert.Equal(dw[j], double.Parse(Regex.Match(stdout, $@"∂L/∂w\[{j}\] = .* = (\S+)\n").Groups[1].Value, CultureInfo.InvariantCulture), 1e-9);
        Assert.Contains($"L = ½·Σ(y − t)² = {Loss(X, W).ToString(CultureInfo.InvariantCulture)}", stdout);
    }

    [Fact]
    public void Json_numbers_match_NumPy()
    {
        if (!Python.Has("numpy")) Assert.Skip("/usr/bin/python3 with numpy is not installed (apt-get install python3-numpy)");
        var (exit, stdout, stderr) = CliRunner.Run("explain", "--example", "conv1d", "--format", "json");
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        double[] Field(string name) => [.. doc.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];
        // y = x ⋆ w; g = y − t; ∂L/∂w = x ⋆ g; ∂L/∂x = g * w (full convolution: the flipped-kernel correlation).
        string script = """
            import json, sys, numpy as np
            x, w, t = (np.array(json.loads(a)) for a in sys.argv[1:4])
            y = np.correlate(x, w, "valid"); g = y - t
            print(json.dumps({"y": y.tolist(), "grad_w": np.correlate(x, g, "valid").tolist(), "grad_x": np.convolve(g, w).tolist()}))
            """;
        var expected = JsonDocument.Parse(Python.Run("-c", script, Json(X), Json(W), Json(T))).RootElement;
        foreach (var name in new[] { "y", "grad_w", "grad_x" })
            Close([.. expected.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())], Field(name), 1e-12);
        Close(Field("grad_x"), Field("flipped_correlation"), 1e-12);
        Assert.True(doc.RootElement.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Latex_is_refused_with_the_formats_it_has()
    {
        var (exit, stdout, stderr) = CliRunner.Run("explain", "--example", "conv1d", "--format", "latex");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("text, markdown or json", stderr);
    }

    private static void Close(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], tolerance);
    }

    private static string Json(double[] v) => JsonSerializer.Serialize(v);

    [GeneratedRegex(@"∂L/∂x\[p\] = Σ_j flipped\[j\]·padded\[p\+j\] = \[([^\]]*)\]")]
    private static partial Regex StatementLine();
}
