using BenchmarkDotNet.Attributes;
using Nabla.Kernels;

namespace Nabla.Benchmarks.Micro;

/// <summary>
/// C = A·B for square n×n float and double matrices through <see cref="Gemm.Multiply{T}"/>, on all cores
/// and on one (<see cref="Gemm.MaxThreads"/>). 2n³ flops per operation.
/// Run: dotnet run -c Release --project bench/Nabla.Benchmarks -- bdn --filter '*MatMul*'
/// </summary>
[MemoryDiagnoser]
public class MatMulBenchmarks
{
    float[] af = [], bf = [], cf = [];
    double[] ad = [], bd = [], cd = [];

    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    [Params(false, true)]
    public bool SingleThread { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(0);
        af = Fill<float>(rng); bf = Fill<float>(rng); cf = new float[N * N];
        ad = Fill<double>(rng); bd = Fill<double>(rng); cd = new double[N * N];
        Gemm.MaxThreads = SingleThread ? 1 : Environment.ProcessorCount;
    }

    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxThreads = Environment.ProcessorCount;

    T[] Fill<T>(Random rng) where T : System.Numerics.IFloatingPointIeee754<T> =>
        Enumerable.Range(0, N * N).Select(_ => T.CreateChecked(rng.NextDouble() * 2 - 1)).ToArray();

    [Benchmark]
    public void Float32() => Gemm.Multiply<float>(false, false, N, N, N, af, N, bf, N, cf, N);

    [Benchmark]
    public void Float64() => Gemm.Multiply<double>(false, false, N, N, N, ad, N, bd, N, cd, N);
}
