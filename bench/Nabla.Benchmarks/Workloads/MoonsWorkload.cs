using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Scalars;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// W2: micrograd's moons demo on the scalar engine (<see cref="ScalarMlp"/> 2-16-16-1, hinge loss + 1e-4 L2, 100 full-batch
/// SGD steps with lr 1 − 0.9·k/100) from micrograd's own data and initial parameters in
/// shared/bench/moons_micrograd_init.json, checking the loss of every step against micrograd's to 1e-9. micrograd is not
/// installed here: the peer figure is its recorded 112.7 s (shared/bench/README.md).
/// </summary>
internal static class MoonsWorkload
{
    public const double MicrogradSeconds = 112.7;

    public static int Run(string[] args, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        string? path = Peers.File(args, "moons_micrograd_init.json", Console.Error);
        if (path is null) return 3;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var x = root.GetProperty("X").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var y = root.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var init = root.GetProperty("params_init").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var expected = root.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("loss").GetDouble()).ToArray();

        int warmup = int.Parse(Options.Get(args, "--warmup", "1"), inv);
        for (int i = 0; i < warmup; i++) Train(x, y, init, 5);   // JIT tiers
        long t0 = Stopwatch.GetTimestamp();
        var losses = Train(x, y, init, 100);
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;

        double worst = 0;
        for (int k = 0; k < losses.Length; k++)
        {
            double diff = Math.Abs(losses[k] - expected[k]) / Math.Max(1, Math.Abs(expected[k]));
            worst = Math.Max(worst, diff);
            if (k % 10 == 0 || k == losses.Length - 1)
                output.WriteLine(string.Create(inv, $"step {k,3} loss {losses[k]:R} (micrograd {expected[k]:R})"));
        }
        string match = worst <= 1e-9 ? "yes" : "no";
        output.WriteLine(string.Create(inv, $"loss curve vs micrograd: max relative difference {worst:G3} (≤ 1e-9: {match})"));
        output.WriteLine(string.Create(inv,
            $"RESULT name=nabla_moons seconds={seconds:F4} steps=100 s_per_step={seconds / 100:F5} loss_curve_match={match} peer=micrograd_recorded peer_seconds={MicrogradSeconds}"));
        return match == "yes" ? 0 : 1;
    }

    static double[] Train(double[][] x, double[] y, double[] init, int steps)
    {
        var model = new ScalarMlp(2, [16, 16, 1], i => init[i]);
        var parameters = model.Parameters().ToArray();
        var losses = new double[steps];
        var inputs = x.Select(r => new[] { Value.Constant(r[0]), Value.Constant(r[1]) }).ToArray();
        for (int k = 0; k < steps; k++)
        {
            Value dataLoss = 0.0;
            for (int i = 0; i < x.Length; i++)
                dataLoss = dataLoss + Value.Relu(1.0 + model.Forward(inputs[i])[0] * -y[i]);
            dataLoss = dataLoss * (1.0 / x.Length);
            Value reg = 0.0;
            foreach (var p in parameters) reg = reg + p * p;
            var total = dataLoss + 1e-4 * reg;
            losses[k] = total.Data;
            model.ZeroGrad();
            total.Backward();
            double lr = 1.0 - 0.9 * k / 100;
            foreach (var p in parameters) p.Data -= lr * p.Grad;
        }
        return losses;
    }
}
