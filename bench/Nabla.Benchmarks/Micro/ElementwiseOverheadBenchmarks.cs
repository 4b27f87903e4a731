using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Micro;

/// <summary>
/// The tensor engine's element-wise ops against TensorPrimitives writing into a preallocated span (the kernels they
/// call), so the engine's own overhead shows as the ratio within each category. Each category has four rows: the raw
/// kernel (baseline); the allocating op as most code writes it (a fresh result per call: at 2^16 and 2^20 floats a
/// large-object-heap array whose first touch and gen-2 collections dominate); the same op inside a TensorScope per
/// iteration (the result's array goes back to the pool when the scope ends and the next call reuses it); and the
/// <c>into:</c> overload writing into a tensor made once (PyTorch's <c>out=</c>). All run under NoGrad, as inference or
/// an optimizer step would. Target (issue 10): add, mul, relu, exp, sigmoid within 1.3× of the raw kernel at 2^16 and
/// 2^20 floats.
/// Run: <c>dotnet bin/Release/net10.0/Nabla.Benchmarks.dll bdn --filter '*ElementwiseOverhead*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class ElementwiseOverheadBenchmarks
{
    private float[] _a = [], _b = [], _out = [];
    private Tensor<float> _ta = null!, _tb = null!, _into = null!;

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
        _into = Tensor<float>.Zeros(N);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("add")] public void AddPrimitives() => TensorPrimitives.Add(_a, _b, _out);
    [Benchmark, BenchmarkCategory("add")] public Tensor<float> AddTensor() { using var _ = NoGrad.Scope(); return _ta + _tb; }
    [Benchmark, BenchmarkCategory("add")] public int AddScoped() { using var g = NoGrad.Scope(); using var s = TensorScope.Begin(); return (_ta + _tb).ElementCount; }
    [Benchmark, BenchmarkCategory("add")] public Tensor<float> AddInto() { using var _ = NoGrad.Scope(); return Tensor<float>.Add(_ta, _tb, _into); }

    [Benchmark(Baseline = true), BenchmarkCategory("mul")] public void MulPrimitives() => TensorPrimitives.Multiply(_a, _b, _out);
    [Benchmark, BenchmarkCategory("mul")] public Tensor<float> MulTensor() { using var _ = NoGrad.Scope(); return _ta * _tb; }
    [Benchmark, BenchmarkCategory("mul")] public int MulScoped() { using var g = NoGrad.Scope(); using var s = TensorScope.Begin(); return (_ta * _tb).ElementCount; }
    [Benchmark, BenchmarkCategory("mul")] public Tensor<float> MulInto() { using var _ = NoGrad.Scope(); return Tensor<float>.Multiply(_ta, _tb, _into); }

    [Benchmark(Baseline = true), BenchmarkCategory("relu")] public void ReluPrimitives() => TensorPrimitives.Max(_a, 0f, _out);
    [Benchmark, BenchmarkCategory("relu")] public Tensor<float> ReluTensor() { using var _ = NoGrad.Scope(); return _ta.Relu(); }
    [Benchmark, BenchmarkCategory("relu")] public int ReluScoped() { using var g = NoGrad.Scope(); using var s = TensorScope.Begin(); return (_ta.Relu()).ElementCount; }
    [Benchmark, BenchmarkCategory("relu")] public Tensor<float> ReluInto() { using var _ = NoGrad.Scope(); return _ta.Relu(_into); }

    [Benchmark(Baseline = true), BenchmarkCategory("exp")] public void ExpPrimitives() => TensorPrimitives.Exp(_a, _out);
    [Benchmark, BenchmarkCategory("exp")] public Tensor<float> ExpTensor() { using var _ = NoGrad.Scope(); return _ta.Exp(); }
    [Benchmark, BenchmarkCategory("exp")] public int ExpScoped() { using var g = NoGrad.Scope(); using var s = TensorScope.Begin(); return (_ta.Exp()).ElementCount; }
    [Benchmark, BenchmarkCategory("exp")] public Tensor<float> ExpInto() { using var _ = NoGrad.Scope(); return _ta.Exp(_into); }

    [Benchmark(Baseline = true), BenchmarkCategory("sigmoid")] public void SigmoidPrimitives() => TensorPrimitives.Sigmoid(_a, _out);
    [Benchmark, BenchmarkCategory("sigmoid")] public Tensor<float> SigmoidTensor() { using var _ = NoGrad.Scope(); return _ta.Sigmoid(); }
    [Benchmark, BenchmarkCategory("sigmoid")] public int SigmoidScoped() { using var g = NoGrad.Scope(); using var s = TensorScope.Begin(); return (_ta.Sigmoid()).ElementCount; }
    [Benchmark, BenchmarkCategory("sigmoid")] public Tensor<float> SigmoidInto() { using var _ = NoGrad.Scope(); return _ta.Sigmoid(_into); }

    [Benchmark(Baseline = true), BenchmarkCategory("tanh")] public void TanhPrimitives() => TensorPrimitives.Tanh(_a, _out);
    [Benchmark, BenchmarkCategory("tanh")] public Tensor<float> TanhTensor() { using var _ = NoGrad.Scope(); return _ta.Tanh(); }
    [Benchmark, BenchmarkCategory("tanh")] public int TanhScoped() { using var g = NoGrad.Scope(); using var s = TensorScope.Begin(); return (_ta.Tanh()).ElementCount; }
    [Benchmark, BenchmarkCategory("tanh")] public Tensor<float> TanhInto() { using var _ = NoGrad.Scope(); return _ta.Tanh(_into); }
}
