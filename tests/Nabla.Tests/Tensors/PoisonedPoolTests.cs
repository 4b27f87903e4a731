using Nabla.Nn;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Base of the tests that run with every double array pooled (MinLength 1) and NaN poison in returned arrays, so an
/// array handed back while something still reads it changes a value; the switches are restored afterwards.
/// </summary>
public abstract class PoisonedPoolTests : IDisposable
{
    protected PoisonedPoolTests()
    {
        BufferPool<double>.MinLength = 1;
        BufferPool<double>.Poison = true;
    }

    public void Dispose()
    {
        BufferPool<double>.MinLength = 0;
        BufferPool<double>.Poison = false;
        BufferPool<double>.Disabled = false;
    }

    /// <summary>
    /// <paramref name="steps"/> SGD steps on <paramref name="loss"/> of the network's output, each followed by a NoGrad
    /// evaluation: the losses, the evaluations and the final weights, for comparing runs bit for bit.
    /// </summary>
    public static List<double> TrainingTrace(Module<double> net, Tensor<double> x, Func<Tensor<double>, Tensor<double>> loss, double rate, int steps)
    {
        var sgd = new Sgd<double>(net.Parameters(), rate);
        var seen = new List<double>();
        for (int step = 0; step < steps; step++)
        {
            sgd.ZeroGrad();
            var l = loss(net.Forward(x));
            l.Backward();
            sgd.Step();
            seen.Add(l.ToScalar());
            using (NoGrad.Scope()) seen.AddRange(net.Forward(x).ToArray());
        }
        foreach (var p in net.Parameters()) seen.AddRange(p.ToArray());
        return seen;
    }
}
