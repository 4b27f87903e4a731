using System.Globalization;
using System.Numerics;
using System.Diagnostics;
using Nabla.Kernels;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// W5, the counterpart of /work/shared/bench/gemm.py: C = A·B for square n×n matrices of standard-normal
/// values, float32 and float64, best of 5 timed calls after a 0.5 s global warm-up and one warm-up call
/// per case; GFLOP/s = 2n³/t. Prints <c>RESULT name=gemm_nabla_float32_n512 seconds=… gflops=…</c>
/// (<c>nabla</c> on all cores, <c>nabla1t</c> with <see cref="Gemm.MaxThreads"/> = 1) and a summary line.
/// </summary>
internal static class GemmWorkload
{
    /// <summary>Timed calls per case (--reps; 5 as in the peer, more to see through a busy machine while tuning).</summary>
    static int reps = 5;

    public static int Run(string[] args, TextWriter output)
    {
        int[] sizes = Options.Ints(args, "--sizes", "256,512,1024,2048");
        string threads = Options.Get(args, "--threads", "all");
        string[] dtypes = Options.Get(args, "--dtypes", "float32,float64").Split(',');
        reps = int.Parse(Options.Get(args, "--reps", "5"), CultureInfo.InvariantCulture);
        int[] threadCounts = threads switch
        {
            "all" => [Environment.ProcessorCount],
            "1" => [1],
            "both" => [Environment.ProcessorCount, 1],
            _ => throw new ArgumentException($"--threads must be all, 1 or both, not '{threads}'."),
        };
        output.WriteLine($"Nabla GEMM: accelerated={Gemm.IsAccelerated} processors={Environment.ProcessorCount} runtime={Environment.Version}");
        WarmUp();
        var rng = new Random(0);
        double total = 0;
        var summary = new List<string>();
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int t in threadCounts)
            {
                Gemm.MaxThreads = t;
                string lib = t == 1 ? "nabla1t" : "nabla";
                foreach (string dt in dtypes)
                foreach (int n in sizes)
                {
                    double s = dt switch
                    {
                        "float32" => Time<float>(n, rng),
                        "float64" => Time<double>(n, rng),
                        _ => throw new ArgumentException($"unknown dtype '{dt}'"),
                    };
                    total += s;
                    double gf = 2.0 * n * n * n / s / 1e9;
                    summary.Add(string.Create(CultureInfo.InvariantCulture, $"{lib}_{dt}_{n}={gf:F1}"));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"RESULT name=gemm_{lib}_{dt}_n{n} seconds={s:F6} gflops={gf:F2}"));
                }
            }
        }
        finally { Gemm.MaxThreads = saved; }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT name=gemm_nabla seconds={total:F3} {string.Join(' ', summary)}"));
        if (args.Contains("--mlp")) MlpShapes(output, dtypes, rng);
        return 0;
    }

    /// <summary>
    /// The products of one W3/W4 training step (batch 256, layer 784→512): forward Y = X·W, dW = Xᵀ·dY and
    /// dX = dY·Wᵀ, all cores. Names: gemm_nabla_&lt;dtype&gt;_mlp_&lt;product&gt;_&lt;m&gt;x&lt;n&gt;x&lt;k&gt;.
    /// </summary>
    static void MlpShapes(TextWriter output, string[] dtypes, Random rng)
    {
        (string Name, bool TA, bool TB, int M, int N, int K)[] shapes =
            [("fwd", false, false, 256, 512, 784), ("dW", true, false, 784, 512, 256), ("dX", false, true, 256, 784, 512)];
        foreach (string dt in dtypes)
        foreach (var (name, ta, tb, m, n, k) in shapes)
        {
            double s = dt == "float32" ? TimeShape<float>(ta, tb, m, n, k, rng) : TimeShape<double>(ta, tb, m, n, k, rng);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT name=gemm_nabla_{dt}_mlp_{name}_{m}x{n}x{k} seconds={s:F6} gflops={2.0 * m * n * k / s / 1e9:F2}"));
        }
    }

    static double TimeShape<T>(bool ta, bool tb, int m, int n, int k, Random rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Normal<T>(rng, m * k), b = Normal<T>(rng, k * n), c = new T[m * n];
        int lda = ta ? m : k, ldb = tb ? k : n;
        return Timing.BestOf(() => Gemm.Multiply<T>(ta, tb, m, n, k, a, lda, b, ldb, c, n), reps);
    }

    static double Time<T>(int n, Random rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Normal<T>(rng, n * n), b = Normal<T>(rng, n * n), c = new T[n * n];
        return Timing.BestOf(() => Gemm.Multiply<T>(false, false, n, n, n, a, n, b, n, c, n), reps);
    }

    /// <summary>About 0.5 s of 512×512 products in both precisions: JIT tiers, thread pool, page faults, clocks.</summary>
    static void WarmUp()
    {
        var rng = new Random(1);
        float[] af = Normal<float>(rng, 512 * 512), cf = new float[512 * 512];
        double[] ad = Normal<double>(rng, 512 * 512), cd = new double[512 * 512];
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < 0.5)
        {
            Gemm.Multiply<float>(false, false, 512, 512, 512, af, 512, af, 512, cf, 512);
            Gemm.Multiply<double>(false, false, 512, 512, 512, ad, 512, ad, 512, cd, 512);
        }
    }

    static T[] Normal<T>(Random rng, int length) where T : IFloatingPointIeee754<T>
    {
        var x = new T[length];
        for (int i = 0; i < length; i++)
        {
            double u = 1 - rng.NextDouble(), v = rng.NextDouble();
            x[i] = T.CreateChecked(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }
        return x;
    }
}
