using System.Text;
using System.Text.Json.Nodes;
using Nabla.Checking;
using Nabla.Tensors;

namespace Nabla.Explain.Convolution;

/// <summary>
/// A 1-D convolution (a cross-correlation, as PyTorch's <c>conv1d</c>) of five
/// numbers with a three-tap kernel, the loss L = ½·Σ(y − t)², and both gradients with every term written out, so a
/// learner sees that the input's gradient is the upstream gradient, zero-padded, correlated with the flipped kernel
/// (and the kernel's gradient is the input correlated with the upstream gradient). The values and gradients come from
/// the tensor engine (<see cref="Tensor{T}.Conv2d"/> on a one-row plane, then Backward); the flipped-kernel
/// correlation is computed on its own and compared with them, and both gradients are checked by central differences.
/// </summary>
public sealed class Conv1dExplanation
{
    /// <summary>The example's name.</summary>
    public const string Name = "conv1d";

    private static readonly double[] Input = [1, 2, -1, 3, 0.5];
    private static readonly double[] Kernel = [0.5, -1, 2];
    private static readonly double[] Target = [-3, 7, -2];

    private readonly double[] x, w, t, y, g, dx, dw, padded, flipped, correlation;
    private readonly double loss, checkError;

    private Conv1dExplanation(double[] x, double[] w, double[] t)
    {
        (this.x, this.w, this.t) = (x, w, t);
        int n = x.Length, k = w.Length;
        var xt = new Tensor<double>(x, 1, 1, 1, n).RequireGrad();
        var wt = new Tensor<double>(w, 1, 1, 1, k).RequireGrad();
        var yt = Tensor<double>.Conv2d(xt, wt);
        var diff = yt - new Tensor<double>(t, 1, 1, 1, t.Length);
        var lt = (diff * diff).Sum() * 0.5;
        lt.Backward();
        (y, loss, dx, dw) = (yt.ToArray(), lt.ToScalar(), xt.Grad!.ToArray(), wt.Grad!.ToArray());
        g = [.. y.Select((v, i) => v - t[i])];

        // The same input gradient without the engine: g padded with k − 1 zeros each side, correlated with w reversed.
        padded = [.. new double[k - 1], .. g, .. new double[k - 1]];
        flipped = [.. w.Reverse()];
        correlation = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) correlation[i] += flipped[j] * padded[i + j];

        checkError = Math.Max(CheckAgainstDifferences(x, dx, v => Loss(v, w, t)), CheckAgainstDifferences(w, dw, v => Loss(x, v, t)));
    }

    /// <summary>The example at its fixed numbers.</summary>
    public static Conv1dExplanation Create() => new(Input, Kernel, Target);

    /// <summary>True when the flipped-kernel correlation equals the engine's input gradient and the gradients pass the check.</summary>
    public bool Passed => checkError <= 1e-6 && correlation.Zip(dx, (a, b) => Math.Abs(a - b)).Max() <= 1e-12;

    private static double Loss(double[] x, double[] w, double[] t)
    {
        double sum = 0;
        for (int i = 0; i < t.Length; i++)
        {
            double yi = -t[i];
            for (int j = 0; j < w.Length; j++) yi += w[j] * x[i + j];
            sum += 0.5 * yi * yi;
        }
        return sum;
    }

    /// <summary>The largest |analytic − central difference| over the entries of <paramref name="at"/>.</summary>
    private static double CheckAgainstDifferences(double[] at, double[] analytic, Func<double[], double> f)
    {
        const double h = 1e-6;
        var point = (double[])at.Clone();
        double worst = 0;
        for (int i = 0; i < point.Length; i++)
            worst = Math.Max(worst, Math.Abs(analytic[i] - CentralDifference.At(point, i, () => f(point), h)));
        return worst;
    }

    private static string N(double v) => NumberText.RoundTrip(Math.Round(v, 12));
    private static string Factor(double v) => v < 0 ? $"({N(v)})" : N(v);
    private static string List(IEnumerable<double> values) => "[" + string.Join(", ", values.Select(N)) + "]";

    /// <summary>The explanation as text, every sum written out with its numbers.</summary>
    public string Text()
    {
        int n = x.Length, k = w.Length, m = y.Length;
        var s = new StringBuilder();
        s.AppendLine("── Explaining a 1-D convolution and its gradients ──");
        s.AppendLine($"input x = {List(x)}, kernel w = {List(w)}, target t = {List(t)}");
        s.AppendLine();
        s.AppendLine("Forward pass  y[i] = Σ_j w[j]·x[i+j]  (cross-correlation, as PyTorch's conv1d: no padding, stride 1)");
        for (int i = 0; i < m; i++)
            s.AppendLine($"  y[{i}] = " + string.Join(" + ", Enumerable.Range(0, k).Select(j => $"{Factor(w[j])}·{Factor(x[i + j])}")) + $" = {N(y[i])}");
        s.AppendLine($"  L = ½·Σ(y − t)² = {N(loss)}");
        s.AppendLine();
        s.AppendLine($"Backward pass  g = ∂L/∂y = y − t = {List(g)}");
        s.AppendLine("  ∂L/∂w[j] = Σ_i g[i]·x[i+j]  (the input correlated with g)");
        for (int j = 0; j < k; j++)
            s.AppendLine($"    ∂L/∂w[{j}] = " + string.Join(" + ", Enumerable.Range(0, m).Select(i => $"{Factor(g[i])}·{Factor(x[i + j])}")) + $" = {N(dw[j])}");
        s.AppendLine("  ∂L/∂x[p] = Σ_i g[i]·w[p−i]  (every output whose window covers x[p])");
        for (int p = 0; p < n; p++)
        {
            var terms = Enumerable.Range(0, m).Where(i => p - i >= 0 && p - i < k).Select(i => $"{Factor(g[i])}·{Factor(w[p - i])}");
            s.AppendLine($"    ∂L/∂x[{p}] = " + string.Join(" + ", terms) + $" = {N(dx[p])}");
        }
        s.AppendLine();
        s.AppendLine("The gradient w.r.t. the input is a correlation with the flipped kernel:");
        s.AppendLine($"  pad g with {k - 1} zeros on each side: {List(padded)}; flip the kernel: {List(flipped)}");
        s.AppendLine($"  ∂L/∂x[p] = Σ_j flipped[j]·padded[p+j] = {List(correlation)}");
        int mid = n / 2;
        s.AppendLine($"  e.g. ∂L/∂x[{mid}] = " + string.Join(" + ", Enumerable.Range(0, k).Select(j => $"{Factor(flipped[j])}·{Factor(padded[mid + j])}")) + $" = {N(correlation[mid])}");
        s.AppendLine(Passed
            ? "  equal to the backward pass above; both gradients agree with central differences (h = 1e-6) to 1e-6."
            : $"  CHECK FAILED: backward pass {List(dx)}, largest central-difference error {checkError:0.0E+00}.");
        return s.ToString();
    }

    /// <summary>The numbers as JSON, for programs.</summary>
    public string Json()
    {
        static JsonArray A(double[] v) => [.. v.Select(d => (JsonNode)d)];
        return new JsonObject
        {
            ["example"] = Name, ["x"] = A(x), ["w"] = A(w), ["t"] = A(t), ["y"] = A(y), ["loss"] = loss, ["g"] = A(g),
            ["grad_w"] = A(dw), ["grad_x"] = A(dx), ["padded_g"] = A(padded), ["flipped_w"] = A(flipped),
            ["flipped_correlation"] = A(correlation), ["max_check_error"] = checkError, ["passed"] = Passed,
        }.ToJsonString();
    }
}
