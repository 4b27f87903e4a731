using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Nabla.Kernels;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Micro;

/// <summary>
/// Convolution forward + backward (both gradients) for 3×3 and 5×5 kernels at 32 and 64 channels (in = out) on a batch of
/// 16 32×32 inputs with "same" padding, float32, beside the GEMM with the forward's matrix shape (C_out × N·H·W × C·k²).
/// GFLOP/s = 3 · 2·C_out·C·k²·N·H·W (forward, data and weight gradients) / the mean time; the target is ≥ 60 % of the GEMM's
/// rate on the same shape (three of its products). Run: <c>Nabla.Benchmarks.dll bdn --filter "*Conv*"</c> (add
/// <c>--inProcess</c> on a busy machine, where building the benchmark process can time out).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Gflops))]
public class ConvBenchmarks
{
    /// <summary>Adds the GFLOP/s column: both methods do 3 · 2·C_out·C·k²·N·H·W operations per call.</summary>
    private sealed class Gflops : ManualConfig
    {
        public Gflops() => AddColumn(new GflopsColumn(c =>
            3.0 * 2 * Square((int)c.Parameters["Channels"]) * Square((int)c.Parameters["Kernel"]) * Batch * Side * Side));

        private static double Square(int v) => (double)v * v;
    }

    private Tensor<float> _x = null!, _w = null!, _b = null!;
    private float[] _a = [], _bm = [], _c = [];

    [Params(3, 5)] public int Kernel { get; set; }
    [Params(32, 64)] public int Channels { get; set; }

    private const int Batch = 16, Side = 32;

    /// <summary>Floating-point operations in one forward + backward.</summary>
    public double Flops => 3.0 * 2 * Channels * Channels * Kernel * Kernel * Batch * Side * Side;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new RandomState(1);
        _x = new Tensor<double>(rng.StandardNormal(Batch, Channels, Side, Side), Batch, Channels, Side, Side).To<float>().RequireGrad();
        _w = new Tensor<double>(rng.StandardNormal(Channels, Channels, Kernel, Kernel), Channels, Channels, Kernel, Kernel).To<float>().RequireGrad();
        _b = Tensor<float>.Zeros(Channels).RequireGrad();
        int k = Channels * Kernel * Kernel, n = Batch * Side * Side;
        _a = new float[Channels * k];
        _bm = new float[k * n];
        _c = new float[Channels * n];
        Console.WriteLine($"// conv {Kernel}x{Kernel}, {Channels} channels: {Flops / 1e9:F3} GFLOP per forward+backward; GFLOP/s = that / mean seconds");
    }

    [Benchmark]
    public void ConvForwardBackward()
    {
        _x.Grad = null; _w.Grad = null; _b.Grad = null;
        Tensor<float>.Conv2d(_x, _w, _b, padding: Kernel / 2).Sum().Backward();
    }

    [Benchmark(Baseline = true)]
    public void GemmSameWork()
    {
        int k = Channels * Kernel * Kernel, n = Batch * Side * Side;
        for (int r = 0; r < 3; r++) Gemm.Multiply<float>(false, false, Channels, n, k, _a, k, _bm, n, _c, n);
    }
}
