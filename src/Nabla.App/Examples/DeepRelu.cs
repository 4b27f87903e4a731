using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Examples;

/// <summary>
/// What notebook 001 computes: a K = 5 layer ReLU network of width D = 6 on input 1.2 with target 20, its output and
/// sum-of-squares loss, every weight and bias gradient by the tensor engine's backward pass, and the same gradients
/// by forward differences of step 1e-6 (the notebook's check).
/// </summary>
/// <param name="Output">The network output for the input (the notebook: 1.907).</param>
/// <param name="Loss">Σ (output − y)² (the notebook: 327.371).</param>
/// <param name="Weights">Ω₀ … Ω_K as drawn from <c>np.random.seed(0)</c>.</param>
/// <param name="Biases">β₀ … β_K as drawn.</param>
/// <param name="WeightGradients">∂ℓ/∂Ω_k from backward.</param>
/// <param name="BiasGradients">∂ℓ/∂β_k from backward.</param>
/// <param name="WeightDifferences">∂ℓ/∂Ω_k by forward differences.</param>
/// <param name="BiasDifferences">∂ℓ/∂β_k by forward differences.</param>
public sealed record DeepReluResult(
    double Output, double Loss,
    IReadOnlyList<Matrix> Weights, IReadOnlyList<Matrix> Biases,
    IReadOnlyList<Matrix> WeightGradients, IReadOnlyList<Matrix> BiasGradients,
    IReadOnlyList<Matrix> WeightDifferences, IReadOnlyList<Matrix> BiasDifferences)
{
    /// <summary>
    /// The notebook's test: every backward gradient is <c>np.allclose</c> (|a − b| ≤ 1e-8 + 1e-5·|b|) to its
    /// finite difference b.
    /// </summary>
    public bool FiniteDifferencesAgree =>
        WeightGradients.Zip(WeightDifferences).Concat(BiasGradients.Zip(BiasDifferences))
            .All(p => p.First.Values.Zip(p.Second.Values).All(v => Math.Abs(v.First - v.Second) <= 1e-8 + 1e-5 * Math.Abs(v.Second)));
}

/// <summary>Notebook 001: a deep ReLU network's forward pass, backward pass and finite-difference check.</summary>
public static class DeepRelu
{
    /// <summary>K, the number of hidden layers.</summary>
    public const int HiddenLayers = 5;

    /// <summary>D, the neurons per hidden layer.</summary>
    public const int Width = 6;

    /// <summary>The network input (a 1×1 column).</summary>
    public const double Input = 1.2;

    /// <summary>The target y.</summary>
    public const double Target = 20.0;

    /// <summary>The notebook's finite-difference step <c>delta_fd</c>.</summary>
    public const double Step = 1e-6;

    /// <summary>
    /// The parameters in the notebook's draw order from <c>np.random.normal</c>: Ω₀ (D×1), Ω_K (1×D), β₀ (D×1),
    /// β_K (1×1), then Ω_k (D×D) and β_k (D×1) for k = 1 … K−1.
    /// </summary>
    public static (Tensor<double>[] Weights, Tensor<double>[] Biases) InitialParameters(uint seed = 0)
    {
        var rng = new RandomState(seed);
        Tensor<double> Draw(int rows, int columns) => new(rng.Normal(0.0, 1.0, rows, columns), rows, columns);
        var weights = new Tensor<double>[HiddenLayers + 1];
        var biases = new Tensor<double>[HiddenLayers + 1];
        weights[0] = Draw(Width, 1);
        weights[HiddenLayers] = Draw(1, Width);
        biases[0] = Draw(Width, 1);
        biases[HiddenLayers] = Draw(1, 1);
        for (int k = 1; k < HiddenLayers; k++)
        {
            weights[k] = Draw(Width, Width);
            biases[k] = Draw(Width, 1);
        }
        return (weights, biases);
    }

    /// <summary>
    /// ReLU written as f·[f &gt; 0]. Its backward is the notebook's <c>indicator(f) * dl_dh</c>, so the gradients carry
    /// the same signed zeros NumPy prints (0·(−5) = −0); <see cref="Tensor{T}.Relu"/> gives equal values with +0 there.
    /// </summary>
    public static Tensor<double> Relu(Tensor<double> f) => f * f.GreaterThan(Tensor<double>.Scalar(0.0));

    /// <summary>f_k = β_k + Ω_k·h_k, h_{k+1} = ReLU(f_k) for k &lt; K; the output is f_K.</summary>
    public static Tensor<double> Forward(IReadOnlyList<Tensor<double>> weights, IReadOnlyList<Tensor<double>> biases, Tensor<double> input)
    {
        var h = input;
        for (int k = 0; k < weights.Count - 1; k++) h = Relu(biases[k] + weights[k].MatMul(h));
        return biases[^1] + weights[^1].MatMul(h);
    }

    /// <summary>ℓ = Σ (output − y)², the notebook's <c>least_squares_loss</c>.</summary>
    public static Tensor<double> Loss(Tensor<double> output, double target) => (output - target).Pow(2.0).Sum();

    /// <summary>Runs the notebook: forward, backward, and forward differences for every weight and bias element.</summary>
    public static DeepReluResult Run()
    {
        var (weights, biases) = InitialParameters();
        foreach (var p in weights.Concat(biases)) p.RequireGrad();
        var input = Tensor<double>.Full(Input, 1, 1);
        var output = Forward(weights, biases, input);
        var loss = Loss(output, Target);
        loss.Backward();

        return new DeepReluResult(output.ToScalar(), loss.ToScalar(),
            weights.Select(Matrix.From).ToList(), biases.Select(Matrix.From).ToList(),
            weights.Select(w => Matrix.From(w.Grad!)).ToList(), biases.Select(b => Matrix.From(b.Grad!)).ToList(),
            FiniteDifferences(weights, biases, input, perturbWeights: true),
            FiniteDifferences(weights, biases, input, perturbWeights: false));
    }

    /// <summary>(ℓ(p + δ) − ℓ(p))/δ for each element p of every weight (or bias) matrix, as the notebook's cells 54–55.</summary>
    private static List<Matrix> FiniteDifferences(Tensor<double>[] weights, Tensor<double>[] biases, Tensor<double> input, bool perturbWeights)
    {
        using var noGrad = NoGrad.Scope();
        double baseLoss = Loss(Forward(weights, biases, input), Target).ToScalar();
        var result = new List<Matrix>();
        for (int k = 0; k < weights.Length; k++)
        {
            var target = perturbWeights ? weights : biases;
            var original = target[k];
            var values = new double[original.ElementCount];
            for (int i = 0; i < values.Length; i++)
            {
                var copy = Tensor<double>.FromArray(original.ToArray(), [.. original.Shape]);
                copy.AsSpan()[i] += Step;
                target[k] = copy;
                values[i] = (Loss(Forward(weights, biases, input), Target).ToScalar() - baseLoss) / Step;
                target[k] = original;
            }
            result.Add(new Matrix(original.Shape[0], original.Shape[1], values));
        }
        return result;
    }
}
