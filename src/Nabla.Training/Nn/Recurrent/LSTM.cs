using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A stack of LSTM layers as PyTorch's <c>nn.LSTM</c> (gates i, f, g, o; c_t = f⊙c_{t−1} + i⊙g, h_t = o⊙tanh(c_t); see
/// <see cref="Tensor{T}.LstmLayer"/>), with PyTorch's parameter names, shapes ([4H, in], [4H, H], [4H]), order and
/// initialisation, so state dicts load both ways. <see cref="RecurrentModule{T}.Forward(Tensor{T}, Tensor{T}?, Tensor{T}?)"/>
/// also returns h_n and c_n, [layers, N, H].
/// </summary>
public sealed class LSTM<T> : RecurrentModule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Parameters drawn from U(−1/√H, 1/√H) with <paramref name="rng"/>, which also draws the dropout masks.</summary>
    public LSTM(int inputSize, int hiddenSize, RandomState rng, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0)
        : base("LSTM", 4, inputSize, hiddenSize, rng, numLayers, bias, batchFirst, dropout) { }

    /// <summary>Parameters and dropout masks drawn from <see cref="RandomState.Default"/>.</summary>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0)
        : this(inputSize, hiddenSize, RandomState.Default, numLayers, bias, batchFirst, dropout) { }

    private protected override bool HasCell => true;

    private protected override (Tensor<T> Output, Tensor<T>? Cell) Layer(int k, Tensor<T> x, Tensor<T>? h0, Tensor<T>? c0)
    {
        var (output, cell) = Tensor<T>.LstmLayer(x, WeightIh[k], WeightHh[k], BiasIh?[k], BiasHh?[k], h0, c0, BatchFirst);
        return (output, cell);
    }
}
