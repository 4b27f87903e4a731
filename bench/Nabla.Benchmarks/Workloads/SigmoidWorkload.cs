using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// W1, the counterpart of /work/shared/bench/seed_sigmoid_numpy.py: notebook 003's 3-4-1 sigmoid network on the tensor
/// API, seed 2, W0 = 2·random((3,4)) − 1, W1 = 2·random((4,1)) − 1, α = 10, 60 000 iterations of forward, the
/// notebook's hand-written backward and the update (activations written into preallocated tensors, weights updated in
/// place through the public in-place API), X = [[0,0,1]], Y = [[0]]. Prints the error every 5 000 iterations
/// and, with <c>--check FILE</c> (the peer's <c>--json</c> output), whether the final weights agree to 1e-12.
/// </summary>
internal static class SigmoidWorkload
{
    const int Iterations = 60000, ReportEvery = 5000;

    public static int Run(string[] args, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        int repeats = int.Parse(Options.Get(args, "--warmup", "1"), inv);
        for (int k = 0; k < repeats; k++) Train();   // warm-up runs first (JIT tiers), the last one counts
        long bytes0 = GC.GetAllocatedBytesForCurrentThread();
        var r = Train();
        long perIteration = (GC.GetAllocatedBytesForCurrentThread() - bytes0) / Iterations;
        foreach (var (j, err) in r.Errors) output.WriteLine(string.Create(inv, $"iter {j,6}  mean_abs_error {err:R}"));
        output.WriteLine("W0 = " + Format(r.W0));
        output.WriteLine("W1 = " + Format(r.W1));

        string check = Options.Get(args, "--check", "");
        string verdict = "unchecked";
        if (check.Length > 0)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(check));
            double worst = Math.Max(MaxDiff(r.W0, doc.RootElement.GetProperty("W0")), MaxDiff(r.W1, doc.RootElement.GetProperty("W1")));
            verdict = worst <= 1e-12 ? "yes" : "no";
            output.WriteLine(string.Create(inv, $"final weights vs peer: max |difference| {worst:G3} (≤ 1e-12: {verdict})"));
        }
        output.WriteLine(string.Create(inv,
            $"RESULT name=nabla_sigmoid seconds={r.Seconds:F4} iterations={Iterations} us_per_iter={r.Seconds / Iterations * 1e6:F3} weights_match={verdict} bytes_per_iter={perIteration}"));
        return check.Length > 0 && verdict != "yes" ? 1 : 0;
    }

    static (Tensor<double> W0, Tensor<double> W1, double Seconds, List<(int, double)> Errors) Train()
    {
        var x = Tensor.FromArray(new double[,] { { 0, 0, 1 } });
        var y = Tensor.FromArray(new double[,] { { 0 } });
        var rs = new RandomState(2);
        var w0 = 2.0 * new Tensor<double>(rs.Random(3, 4), 3, 4) - 1.0;
        var w1 = 2.0 * new Tensor<double>(rs.Random(4, 1), 4, 1) - 1.0;
        double alpha = 10;
        var errors = new List<(int, double)>();
        long t0 = Stopwatch.GetTimestamp();
        // The activations and weight gradients are written into tensors made once (MatMul into + SigmoidInPlace) and the weights
        // are updated in place (SubtractScaledInPlace, w - alpha * g): what a performance-minded PyTorch user writes with
        // out= and sigmoid_(). The rest is the notebook's code. Nothing here requires grad, so in-place is allowed.
        var layer1 = Tensor<double>.Zeros(1, 4);
        var layer2 = Tensor<double>.Zeros(1, 1);
        var gradW0 = Tensor<double>.Zeros(3, 4);
        var gradW1 = Tensor<double>.Zeros(4, 1);
        for (int j = 0; j < Iterations; j++)
        {
            Tensor<double>.MatMul(x, w0, layer1).SigmoidInPlace();
            Tensor<double>.MatMul(layer1, w1, layer2).SigmoidInPlace();
            var dEdOut = -(y - layer2);
            if (j % ReportEvery == 0) errors.Add((j, (y - layer2).Abs().Mean().ToScalar()));
            var delta2 = dEdOut * layer2 * (1.0 - layer2);
            var delta1 = delta2.MatMul(w1.Transpose()) * layer1 * (1.0 - layer1);
            w1.SubtractScaledInPlace(alpha, Tensor<double>.MatMul(layer1.Transpose(), delta2, gradW1));
            w0.SubtractScaledInPlace(alpha, Tensor<double>.MatMul(x.Transpose(), delta1, gradW0));
        }
        return (w0, w1, Stopwatch.GetElapsedTime(t0).TotalSeconds, errors);
    }

    static double MaxDiff(Tensor<double> t, JsonElement rows)
    {
        double worst = 0;
        int i = 0;
        foreach (var row in rows.EnumerateArray())
        {
            int jx = 0;
            foreach (var v in row.EnumerateArray()) worst = Math.Max(worst, Math.Abs(t[i, jx++] - v.GetDouble()));
            i++;
        }
        return worst;
    }

    static string Format(Tensor<double> t) =>
        "[" + string.Join(", ", Enumerable.Range(0, t.Shape[0]).Select(i =>
            "[" + string.Join(", ", Enumerable.Range(0, t.Shape[1]).Select(j => t[i, j].ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";
}
