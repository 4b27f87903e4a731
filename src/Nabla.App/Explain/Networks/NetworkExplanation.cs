using Nabla.Checking;
using Nabla.Examples;

namespace Nabla.Explain.Networks;

/// <summary>Layer k's forward step: z = W·a_in + b, a = f(z), with the shapes.</summary>
/// <param name="Layer">k, from 1.</param>
/// <param name="Weight">W (outputs × inputs).</param>
/// <param name="Bias">b (outputs × 1), or null.</param>
/// <param name="Input">a_{k−1} (inputs × 1).</param>
/// <param name="Z">z_k (outputs × 1).</param>
/// <param name="Activation">The name of f.</param>
/// <param name="A">a_k = f(z_k) (outputs × 1).</param>
public sealed record ForwardStep(int Layer, Matrix Weight, Matrix? Bias, Matrix Input, Matrix Z, string Activation, Matrix A);

/// <summary>Layer k's backward step in matrix form.</summary>
/// <param name="Layer">k, from 1.</param>
/// <param name="Upstream">∂L/∂a_k: the loss gradient for the last layer, W_{k+1}ᵀ·δ_{k+1} otherwise.</param>
/// <param name="Slope">f′(z_k), from the op table's derivative.</param>
/// <param name="Delta">δ_k = ∂L/∂z_k = f′(z_k) ⊙ ∂L/∂a_k.</param>
/// <param name="WeightGradient">∂L/∂W_k = δ_k·a_{k−1}ᵀ.</param>
/// <param name="BiasGradient">∂L/∂b_k = δ_k, or null for a layer without bias.</param>
/// <param name="InputGradient">∂L/∂a_{k−1} = W_kᵀ·δ_k (for layer 1, the gradient with respect to the input).</param>
public sealed record BackwardStep(int Layer, Matrix Upstream, Matrix Slope, Matrix Delta, Matrix WeightGradient, Matrix? BiasGradient, Matrix InputGradient);

/// <summary>One sampled weight or bias: the backward pass's derivative against central differences of the loss.</summary>
/// <param name="Parameter">E.g. <c>W2[1,4]</c> (1-based, row then column).</param>
/// <param name="Analytic">From the backward step.</param>
/// <param name="Numeric">(L(p + h) − L(p − h)) / 2h.</param>
/// <param name="Passed">|analytic − numeric| ≤ 1e-5 + 1e-3·|numeric| (PyTorch gradcheck's tolerance).</param>
public sealed record ParameterCheck(string Parameter, double Analytic, double Numeric, bool Passed);

/// <summary>
/// A network's forward and backward pass for one input column, in the notebooks' matrix form: each layer's
/// z = W·a + b and a = f(z) with shapes, then from the last layer back δ = f′(z) ⊙ ∂L/∂a,
/// ∂L/∂W = δ·aᵀ, ∂L/∂b = δ and ∂L/∂a_in = Wᵀ·δ, with the actual numbers; then sampled weights and biases
/// checked against central finite differences of the loss.
/// </summary>
public sealed class NetworkExplanation
{
    /// <summary>A title (which example or model, which row).</summary>
    public required string Title { get; init; }

    /// <summary>The network explained.</summary>
    public required DenseNetwork Network { get; init; }

    /// <summary>The input column a₀.</summary>
    public required Matrix Input { get; init; }

    /// <summary>The target y.</summary>
    public required Matrix Target { get; init; }

    /// <summary>The forward steps, layer 1 first.</summary>
    public required IReadOnlyList<ForwardStep> Forward { get; init; }

    /// <summary>L(a_K, y).</summary>
    public required double Loss { get; init; }

    /// <summary>∂L/∂a_K: where the backward pass starts.</summary>
    public required Matrix LossGradient { get; init; }

    /// <summary>The backward steps, the last layer first.</summary>
    public required IReadOnlyList<BackwardStep> Backward { get; init; }

    /// <summary>Sampled parameters checked by central differences.</summary>
    public required IReadOnlyList<ParameterCheck> Checks { get; init; }

    /// <summary>True when every sampled parameter passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>The finite-difference step.</summary>
    public const double Step = 1e-6;

    /// <summary>Runs the network on <paramref name="input"/> and explains it; <paramref name="samples"/> parameters per layer are checked.</summary>
    public static NetworkExplanation Of(string title, DenseNetwork network, double[] input, double[] target, int samples = 4, int seed = 0)
    {
        network.Validate(input.Length, target.Length);
        var forward = new List<ForwardStep>();
        var a = input;
        for (int k = 0; k < network.Layers.Count; k++)
        {
            var layer = network.Layers[k];
            var z = DenseNetwork.Affine(layer, a);
            var next = DenseNetwork.Activate(layer, z);
            forward.Add(new ForwardStep(k + 1, layer.Weight, layer.Bias, Column(a), Column(z), layer.Activation, Column(next)));
            a = next;
        }
        var lossGradient = network.Loss.Gradient(a, target);
        var backward = new List<BackwardStep>();
        var upstream = lossGradient;
        for (int k = network.Layers.Count - 1; k >= 0; k--)
        {
            var layer = network.Layers[k];
            var step = forward[k];
            var slope = DenseNetwork.Slope(layer, step.Z.Values, step.A.Values);
            // δ = f′(z) ⊙ ∂L/∂a, multiplied in the notebook's order (indicator · dl_dh), so signed zeros print as NumPy's do.
            var delta = slope.Select((s, i) => s * upstream[i]).ToArray();
            var W = layer.Weight;
            var input_ = step.Input.Values;
            var dW = new double[W.Rows * W.Columns];
            for (int i = 0; i < W.Rows; i++)
            for (int j = 0; j < W.Columns; j++) dW[i * W.Columns + j] = 0.0 + delta[i] * input_[j]; // a matrix product's sum starts at +0, as NumPy's matmul: −0 entries print as 0
            var dA = new double[W.Columns];
            for (int j = 0; j < W.Columns; j++)
            {
                double sum = 0;
                for (int i = 0; i < W.Rows; i++) sum += W[i, j] * delta[i];
                dA[j] = sum;
            }
            backward.Add(new BackwardStep(k + 1, Column(upstream), Column(slope), Column(delta), new Matrix(W.Rows, W.Columns, dW),
                layer.Bias is null ? null : Column(delta), Column(dA)));
            upstream = dA;
        }
        return new NetworkExplanation
        {
            Title = title, Network = network, Input = Column(input), Target = Column(target), Forward = forward,
            Loss = network.Loss.Value(a, target), LossGradient = Column(lossGradient), Backward = backward,
            Checks = Check(network, input, target, backward, samples, seed),
        };
    }

    private static Matrix Column(double[] values) => new(values.Length, 1, values);

    // Central differences of the loss for a few weights and biases per layer, drawn with a fixed seed.
    private static List<ParameterCheck> Check(DenseNetwork network, double[] input, double[] target, List<BackwardStep> backward, int samples, int seed)
    {
        var random = new Random(seed);
        var checks = new List<ParameterCheck>();
        for (int k = 0; k < network.Layers.Count; k++)
        {
            var layer = network.Layers[k];
            var step = backward[network.Layers.Count - 1 - k];
            foreach (int index in Sample(random, layer.Weight.Values.Length, samples))
                checks.Add(Entry(network, input, target, layer.Weight, index, step.WeightGradient.Values[index],
                    $"W{k + 1}[{index / layer.Weight.Columns + 1},{index % layer.Weight.Columns + 1}]"));
            if (layer.Bias is { } b)
                foreach (int index in Sample(random, b.Values.Length, Math.Max(1, samples / 2)))
                    checks.Add(Entry(network, input, target, b, index, step.BiasGradient!.Values[index], $"b{k + 1}[{index + 1}]"));
        }
        return checks;
    }

    private static IEnumerable<int> Sample(Random random, int count, int samples) =>
        count <= samples ? Enumerable.Range(0, count) : Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(samples).Order();

    private static ParameterCheck Entry(DenseNetwork network, double[] input, double[] target, Matrix parameter, int index, double analytic, string name)
    {
        double numeric = CentralDifference.At(parameter.Values, index, () => network.LossAt(input, target), Step);
        return new ParameterCheck(name, analytic, numeric, Math.Abs(analytic - numeric) <= 1e-5 + 1e-3 * Math.Abs(numeric));
    }
}
