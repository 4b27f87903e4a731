using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using BenchmarkDotNet.Attributes;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Micro;

/// <summary>
/// The tensor engine's element-wise ops against TensorPrimitives on raw arrays (the kernels they call),
/// so the engine's own overhead — shape checks, the output allocation, the autodiff bookkeeping — shows
/// as the ratio. Run under NoGrad, as inference or an optimizer step would.
/// Target (issue 4): within 1.2× of the raw kernel at sizes where the kernel's work dominates.
/// </summary>
[MemoryDiagnoser]
public class ElementwiseOverheadBenchmarks
{
    private float[] _a = [], _b = [], _out = [];
    private Tensor<float> _ta = null!, _tb = null!;

    [Params(1_024, 65_536, 1_048_576)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new System.Random(1);
        _a = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        _b = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        _out = new float[N];
        _ta = new Tensor<float>(_a, N);
        _tb = new Tensor<float>(_b, N);
    }

    [Benchmark(Baseline = true)] public void ExpPrimitives() => TensorPrimitives.Exp(_a, _out);

    [Benchmark]
    public Tensor<float> ExpTensor() { using var _ = NoGrad.Scope(); return _ta.Exp(); }

    [Benchmark] public void AddPrimitives() => TensorPrimitives.Add(_a, _b, _out);

    [Benchmark]
    public Tensor<float> AddTensor() { using var _ = NoGrad.Scope(); return _ta + _tb; }

    [Benchmark] public void TanhPrimitives() => TensorPrimitives.Tanh(_a, _out);

    [Benchmark]
    public Tensor<float> TanhTensor() { using var _ = NoGrad.Scope(); return _ta.Tanh(); }
}
