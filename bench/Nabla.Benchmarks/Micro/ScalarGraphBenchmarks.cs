using BenchmarkDotNet.Attributes;
using Nabla.Scalars;
using static Nabla.Scalars.Value;

namespace Nabla.Benchmarks.Micro;

/// <summary>
/// The scalar engine (issue 2): notebook 004's toy model forward + backward (target: well under 1 µs),
/// and Backward() on a chain of a million nodes (target: under 0.3 s).
/// </summary>
[MemoryDiagnoser]
public class ScalarGraphBenchmarks
{
    private readonly Value _b0 = new(1), _b1 = new(2), _b2 = new(-3), _b3 = new(0.4);
    private readonly Value _w0 = new(0.1), _w1 = new(-0.4), _w2 = new(2), _w3 = new(3);
    private readonly Value _x = 2.3, _y = 2.0;
    private Value _chain = null!;

    [Benchmark]
    public double ToyModelForwardBackward()
    {
        _w0.Grad = 0;
        var f = _b3 + _w3 * Cos(_b2 + _w2 * Exp(_b1 + _w1 * Sin(_b0 + _w0 * _x)));
        var loss = Pow(f - _y, 2);
        loss.Backward();
        return _w0.Grad;
    }

    [IterationSetup(Target = nameof(MillionNodeChainBackward))]
    public void BuildChain()
    {
        Value c = new Value(0.5);
        for (int i = 0; i < 500_000; i++) c = c + 1e-6; // 500 000 sums + 500 000 constants + the leaf
        _chain = c;
    }

    [Benchmark]
    public void MillionNodeChainBackward() => _chain.Backward();
}
