using Nabla.Tensors;

namespace Nabla.Examples;

/// <summary>
/// What notebook 002 computes. The single ReLU neuron y = max(x·w + b, 0) at x = [1, −2, 3], w = [−3, −1, 2], b = 1,
/// with its gradients; then a batched dense layer output = inputs·Wᵀ + biases (W holds one neuron per row, as the
/// notebook writes it) whose backward, seeded with dvalues, gives dinputs = dvalues·W, dweights = inputsᵀ·dvalues
/// and dbiases = Σ over the batch of dvalues.
/// </summary>
/// <param name="Z">The neuron's weighted sum (the notebook: 6).</param>
/// <param name="Y">ReLU(z) (the notebook: 6).</param>
/// <param name="NeuronDx">∂y/∂x = w where z &gt; 0.</param>
/// <param name="NeuronDw">∂y/∂w = x where z &gt; 0.</param>
/// <param name="NeuronDb">∂y/∂b = 1 where z &gt; 0.</param>
/// <param name="DInputs">dvalues·W (4×4).</param>
/// <param name="DWeights">inputsᵀ·dvalues (4×3): the gradient of Wᵀ, the layer's weights laid out inputs × neurons.</param>
/// <param name="DBiases">Σ dvalues over the batch (1×3).</param>
public sealed record DenseLayerResult(double Z, double Y, double[] NeuronDx, double[] NeuronDw, double NeuronDb,
    Matrix DInputs, Matrix DWeights, Matrix DBiases);

/// <summary>Notebook 002: one neuron's forward and backward pass, then a dense layer's backward pass over a batch.</summary>
public static class DenseLayer
{
    /// <summary>The neuron's inputs x.</summary>
    public static double[] NeuronInputs => [1.0, -2.0, 3.0];

    /// <summary>The neuron's weights w.</summary>
    public static double[] NeuronWeights => [-3.0, -1.0, 2.0];

    /// <summary>The neuron's bias b.</summary>
    public const double NeuronBias = 1.0;

    /// <summary>The layer's weights, one row per neuron (3 neurons × 4 inputs).</summary>
    public static double[,] Weights => new[,] { { 0.2, 0.8, -0.5, 1 }, { 0.5, -0.91, 0.26, -0.5 }, { -0.26, -0.27, 0.17, 0.87 } };

    /// <summary>The layer's biases (1×3).</summary>
    public static double[,] Biases => new[,] { { 2, 3, 0.5 } };

    /// <summary>A batch of 4 samples of 4 inputs.</summary>
    public static double[,] Inputs => new[,] { { 1, 2, 3, 2.5 }, { 2, 5, -1, 2 }, { -1.5, 2.7, 3.3, -0.8 }, { -2.4, -1.0, -0.3, -2.3 } };

    /// <summary>The gradient arriving from the next layer, one row per sample (4×3).</summary>
    public static double[,] DValues => new[,] { { 1.0, 1, 1 }, { 2, 2, 2 }, { 3, 3, 3 }, { 4, 4, 4 } };

    /// <summary>Runs both parts of the notebook with the tensor engine's backward pass.</summary>
    public static DenseLayerResult Run()
    {
        var x = Tensor.FromArray(NeuronInputs).RequireGrad();
        var w = Tensor.FromArray(NeuronWeights).RequireGrad();
        var b = Tensor.Scalar(NeuronBias).RequireGrad();
        var z = (x * w).Sum() + b;
        var y = z.Relu();
        y.Backward();

        var inputs = Tensor.FromArray(Inputs).RequireGrad();
        var weights = Tensor.FromArray(Weights).RequireGrad();
        var biases = Tensor.FromArray(Biases).RequireGrad();
        var output = inputs.MatMul(weights.Transpose()) + biases;
        output.Backward(Tensor.FromArray(DValues));

        return new DenseLayerResult(z.ToScalar(), y.ToScalar(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToScalar(),
            Matrix.From(inputs.Grad!), Matrix.From(weights.Grad!.Transpose()), Matrix.From(biases.Grad!));
    }
}
