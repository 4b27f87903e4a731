using System.Diagnostics;
using System.Globalization;
using Nabla.Scalars;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// W6, the counterpart of /work/shared/bench/torch_scalar_graph.py: notebook 004's toy model
/// f = b3 + w3·cos(b2 + w2·exp(b1 + w1·sin(b0 + w0·x))), loss = (f − y)², on the scalar engine; each iteration clears
/// the 8 parameters' gradients, builds the graph and back-propagates. One second of warm-up (the JIT's tiered
/// compilation finishes optimising Step only after some 100 ms, and the peer is measured in steady state), then [iterations]
/// (default 100 000) timed. Prints the gradients and <c>RESULT name=nabla_toy … us_per_fwd_bwd=…</c>.
/// </summary>
internal static class ToyWorkload
{
    public static int Run(string[] args, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        int iterations = args.Length > 0 && int.TryParse(args[0], inv, out int n) ? n : 100000;
        string[] names = ["b0", "b1", "b2", "b3", "w0", "w1", "w2", "w3"];
        double[] values = [1.0, 2.0, -3.0, 0.4, 0.1, -0.4, 2.0, 3.0];
        var p = names.Select((name, i) => new Value(values[i], name)).ToArray();
        Value b0 = p[0], b1 = p[1], b2 = p[2], b3 = p[3], w0 = p[4], w1 = p[5], w2 = p[6], w3 = p[7];
        var x = Value.Constant(2.3);
        var y = Value.Constant(2.0);

        Value Step()
        {
            var f = b3 + w3 * Value.Cos(b2 + w2 * Value.Exp(b1 + w1 * Value.Sin(b0 + w0 * x)));
            var loss = Value.Pow(f - y, 2);
            loss.Backward();
            return loss;
        }

        Value loss = null!;
        long warm = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warm).TotalSeconds < 1.0) { foreach (var q in p) q.Grad = 0; loss = Step(); }
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < iterations; i++) { foreach (var q in p) q.Grad = 0; loss = Step(); }
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        output.WriteLine(string.Create(inv, $"loss={loss.Data:R} ") + string.Join(" ", p.Select(q => string.Create(inv, $"dl_d{q.Label}={q.Grad:R}"))));
        output.WriteLine(string.Create(inv,
            $"RESULT name=nabla_toy seconds={seconds:F4} iterations={iterations} us_per_fwd_bwd={seconds / iterations * 1e6:F3} loss={loss.Data:R}"));
        return 0;
    }
}
