using Nabla.Examples;
using Nabla.Tensors;

namespace Nabla.Explain.Networks;

/// <summary>
/// The notebooks' networks, ready to explain in matrix form: <c>deep-relu</c> (notebook 001), <c>dense-layer</c>
/// (notebook 002's single ReLU neuron, differentiating its output) and <c>sigmoid-sgd</c> (notebook 003's 3-4-1
/// sigmoid network at its initial weights, before the first update).
/// </summary>
public static class NetworkExamples
{
    /// <summary>The example names <see cref="Explain"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["deep-relu", "dense-layer", "sigmoid-sgd"];

    /// <summary>Explains the example called <paramref name="name"/>.</summary>
    public static NetworkExplanation Explain(string name) => name switch
    {
        "deep-relu" => DeepReluNetwork(),
        "dense-layer" => Neuron(),
        "sigmoid-sgd" => SigmoidNetwork(),
        _ => throw new NablaException($"no network example \"{name}\" (examples: {string.Join(", ", Names)})"),
    };

    // Notebook 001: f_k = β_k + Ω_k·h_k with ReLU between, output f_K, loss Σ (f_K − y)²; W_{k+1} = Ω_k, b_{k+1} = β_k.
    private static NetworkExplanation DeepReluNetwork()
    {
        var (weights, biases) = DeepRelu.InitialParameters();
        var layers = weights.Select((w, k) => new DenseLayerSpec(Matrix.From(w), Matrix.From(biases[k]),
            k < weights.Length - 1 ? "relu" : "identity")).ToList();
        return NetworkExplanation.Of("deep-relu (notebook 001: a 5-hidden-layer ReLU network of width 6)",
            new DenseNetwork(layers, NetworkLoss.SumSquares), [DeepRelu.Input], [DeepRelu.Target]);
    }

    // Notebook 002's neuron y = relu(w·x + b): one layer with a 1×3 weight row, differentiating y itself.
    private static NetworkExplanation Neuron()
    {
        var layer = new DenseLayerSpec(new Matrix(1, 3, DenseLayer.NeuronWeights), new Matrix(1, 1, [DenseLayer.NeuronBias]), "relu");
        return NetworkExplanation.Of("dense-layer (notebook 002: one ReLU neuron, ∂y/∂w, ∂y/∂b, ∂y/∂x)",
            new DenseNetwork([layer], NetworkLoss.Output), DenseLayer.NeuronInputs, [0]);
    }

    // Notebook 003 multiplies row vectors (l1 = σ(X·W0)); in column form its layers are W0ᵀ and W1ᵀ, without biases.
    private static NetworkExplanation SigmoidNetwork()
    {
        var (w0, w1) = SigmoidSgd.InitialWeights();
        var layers = new List<DenseLayerSpec>
        {
            new(Matrix.From(w0.Transpose()), null, "sigmoid"),
            new(Matrix.From(w1.Transpose()), null, "sigmoid"),
        };
        return NetworkExplanation.Of("sigmoid-sgd (notebook 003: a 3-4-1 sigmoid network without biases, W_k = the notebook's W_{k−1}ᵀ, at its initial weights)",
            new DenseNetwork(layers, NetworkLoss.HalfSquares), [0, 0, 1], [0]);
    }
}
