using Nabla.Data;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Examples;

/// <summary>Notebook 000's result for one data set.</summary>
/// <param name="W1">The first weight, <c>randn(1, 1)</c> after <c>np.random.seed(310)</c>.</param>
/// <param name="W2">The second weight, the next <c>randn(1, 1)</c>.</param>
/// <param name="Gradient1">mean over the data of ∂L/∂w1.</param>
/// <param name="Gradient2">mean over the data of ∂L/∂w2.</param>
/// <param name="Rows">How many (x, y) pairs were used.</param>
public sealed record SinNetworkResult(double W1, double W2, double Gradient1, double Gradient2, int Rows);

/// <summary>
/// Notebook 000: the two-weight network ŷ = sin(sin(x·w1)·w2) with loss L = (ŷ − y)² per point; the gradient the
/// notebook prints is the mean over the data of each point's chain-rule product, which is the gradient of the mean
/// squared error, computed here by the tensor engine's backward pass.
/// </summary>
public static class SinNetwork
{
    /// <summary>The notebook's seed.</summary>
    public const uint Seed = 310;

    /// <summary>W = [randn(1, 1), randn(1, 1)] after <c>np.random.seed(310)</c>.</summary>
    public static (double W1, double W2) InitialWeights()
    {
        var rng = new RandomState(Seed);
        double w1 = rng.Randn(1, 1)[0];
        double w2 = rng.Randn(1, 1)[0];
        return (w1, w2);
    }

    /// <summary>Loads columns <c>x</c> and <c>y</c> of a CSV file (other columns are ignored) and runs <see cref="Run(double[], double[])"/>.</summary>
    /// <exception cref="NablaException">The file is missing, lacks a column, or has a cell that is not a number.</exception>
    public static SinNetworkResult Run(string csvPath)
    {
        var data = CsvLoader.Load(csvPath, new CsvOptions { Target = "y", Features = ["x"] });
        return Run(data.Features.Column(0), data.Targets!);
    }

    /// <summary>The mean gradients at the notebook's initial weights for the pairs (x[i], y[i]).</summary>
    public static SinNetworkResult Run(double[] x, double[] y)
    {
        if (x.Length != y.Length || x.Length == 0)
            throw new NablaException($"the sin network needs equally many x and y values, at least one; got {x.Length} and {y.Length}");
        var (w1Value, w2Value) = InitialWeights();
        var w1 = Tensor.Scalar(w1Value).RequireGrad();
        var w2 = Tensor.Scalar(w2Value).RequireGrad();
        var a1 = Tensor.FromArray(x) * w1;       // a1 = x·w1
        var a2 = a1.Sin() * w2;                  // a2 = A(a1)·w2
        var prediction = a2.Sin();               // ŷ = A(a2)
        var loss = (prediction - Tensor.FromArray(y)).Pow(2.0).Mean();
        loss.Backward();
        return new SinNetworkResult(w1Value, w2Value, w1.Grad!.ToScalar(), w2.Grad!.ToScalar(), x.Length);
    }
}
