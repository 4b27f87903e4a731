using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

/// <summary>These tests seed the process-wide generator, so nothing else may draw from it while they run.</summary>
[CollectionDefinition(nameof(DefaultGeneratorCollection), DisableParallelization = true)]
public sealed class DefaultGeneratorCollection;

/// <summary>Layers built without a generator start from PyTorch's default initialisation drawn from RandomState.Default.</summary>
[Collection(nameof(DefaultGeneratorCollection))]
public class DefaultInitTests
{
    private sealed class Regressor : Module<double>
    {
        private readonly Linear<double> hidden = new(2, 16);
        private readonly Linear<double> output = new(16, 1);

        public override Tensor<double> Forward(Tensor<double> x) => output.Call(hidden.Call(x).Relu());
    }

    /// <summary>Full-batch SGD on y = x₀·x₁ + x₀/2 over a 6×6 grid of [−1, 1]²; returns the last loss and Var(y).</summary>
    private static (double Loss, double Variance) Train(Regressor net, int steps)
    {
        var points = (from a in Enumerable.Range(0, 6) from b in Enumerable.Range(0, 6) select (X0: a / 2.5 - 1, X1: b / 2.5 - 1)).ToList();
        var x = new Tensor<double>([.. points.SelectMany(p => new[] { p.X0, p.X1 })], points.Count, 2);
        double[] targets = [.. points.Select(p => p.X0 * p.X1 + p.X0 / 2)];
        var y = new Tensor<double>(targets, points.Count, 1);
        var optimizer = new Sgd<double>(net.Parameters(), 0.2);
        double loss = double.NaN;
        for (int step = 0; step < steps; step++)
        {
            net.ZeroGrad();
            var error = net.Forward(x) - y;
            var mse = (error * error).Mean();
            loss = mse.ToScalar();
            mse.Backward();
            optimizer.Step();
        }
        double mean = targets.Average();
        return (loss, targets.Average(t => (t - mean) * (t - mean)));
    }

    [Fact]
    public void A_module_built_without_generators_trains_while_the_same_module_with_zero_weights_cannot_beat_the_mean()
    {
        // With every weight zero, the hidden pre-activations are 0, ReLU passes 0 with derivative 0, so neither weight
        // matrix ever gets a gradient: only the output bias learns, and the best a constant can do is the mean of y, a loss
        // of Var(y). Getting well below Var(y) therefore shows the default constructors drew non-zero starting weights.
        RandomState.Default.Seed(7);
        var (loss, variance) = Train(new Regressor(), 400);
        var zeroed = new Regressor();
        foreach (var p in zeroed.Parameters()) p.Fill(0);
        var (zeroLoss, _) = Train(zeroed, 400);
        Assert.True(zeroLoss >= variance - 1e-12, $"zero-initialised loss {zeroLoss} is below Var(y) = {variance}");
        Assert.True(loss < variance / 4, $"default-initialised loss {loss} is not below Var(y)/4 = {variance / 4}");
    }

    [Fact]
    public void Seeding_the_default_generator_makes_two_constructions_identical_and_another_seed_differs()
    {
        RandomState.Default.Seed(123);
        var a = new Regressor().StateDict();
        RandomState.Default.Seed(123);
        var b = new Regressor().StateDict();
        RandomState.Default.Seed(124);
        var c = new Regressor().StateDict();
        foreach (var name in a.Keys)
        {
            Assert.Equal(a[name].ToArray(), b[name].ToArray());
            Assert.NotEqual(a[name].ToArray(), c[name].ToArray());
        }
    }

    [Fact]
    public void Default_draws_follow_pytorchs_schemes()
    {
        RandomState.Default.Seed(5);
        // Linear and Conv2d: U(−1/√fan_in, 1/√fan_in), mean 0 and variance bound²/3.
        CheckUniform(new Linear<double>(100, 50).Weight.ToArray(), 1 / Math.Sqrt(100));
        CheckUniform(new Linear<double>(100, 5000).Bias!.ToArray(), 1 / Math.Sqrt(100));
        CheckUniform(new Conv2d<double>(3, 200, 3).Weight.ToArray(), 1 / Math.Sqrt(27));
        // Embedding: N(0, 1).
        var e = new Embedding<double>(500, 10).Weight.ToArray();
        Assert.InRange(e.Average(), -0.05, 0.05);
        Assert.InRange(e.Average(v => v * v), 0.94, 1.06);
        // Norms: weight ones, bias zeros, no draws.
        var norm = new LayerNorm<double>(3);
        Assert.Equal([1.0, 1, 1], norm.Weight!.ToArray());
        Assert.Equal([0.0, 0, 0], norm.Bias!.ToArray());
    }

    private static void CheckUniform(double[] values, double bound)
    {
        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        Assert.True(values.Max() > 0.99 * bound && values.Min() < -0.99 * bound, "the draws do not span the interval");
        Assert.InRange(values.Average(), -0.05 * bound, 0.05 * bound);
        Assert.InRange(values.Average(v => v * v) / (bound * bound / 3), 0.95, 1.05);
    }
}
