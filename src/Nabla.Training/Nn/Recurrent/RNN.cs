using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>The activation of an Elman <see cref="RNN{T}"/> layer (PyTorch's <c>nonlinearity</c>).</summary>
public enum RnnNonlinearity
{
    /// <summary>h_t = tanh(…), PyTorch's default.</summary>
    Tanh,

    /// <summary>h_t = max(0, …).</summary>
    Relu,
}

/// <summary>
/// A stack of Elman RNN layers as PyTorch's <c>nn.RNN</c>: h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) with tanh
/// or relu (<see cref="Tensor{T}.RnnLayer"/>), PyTorch's parameter names, shapes ([H, in], [H, H], [H]), order and
/// initialisation, so state dicts load both ways.
/// </summary>
public sealed class RNN<T> : RecurrentModule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Parameters drawn from U(−1/√H, 1/√H) with <paramref name="rng"/>, which also draws the dropout masks.</summary>
    public RNN(int inputSize, int hiddenSize, RandomState rng, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh,
        bool bias = true, bool batchFirst = false, double dropout = 0)
        : base("RNN", 1, inputSize, hiddenSize, rng, numLayers, bias, batchFirst, dropout) =>
        Nonlinearity = Enum.IsDefined(nonlinearity) ? nonlinearity
            : throw new NablaArgumentException(nameof(nonlinearity), $"RNN: nonlinearity is {(int)nonlinearity}; it must be Tanh or Relu");

    /// <summary>Parameters and dropout masks drawn from <see cref="RandomState.Default"/>.</summary>
    public RNN(int inputSize, int hiddenSize, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, bool bias = true,
        bool batchFirst = false, double dropout = 0)
        : this(inputSize, hiddenSize, RandomState.Default, numLayers, nonlinearity, bias, batchFirst, dropout) { }

    /// <summary>The activation of every layer.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    private protected override (Tensor<T> Output, Tensor<T>? Cell) Layer(int k, Tensor<T> x, Tensor<T>? h0, Tensor<T>? c0) =>
        (Tensor<T>.RnnLayer(x, WeightIh[k], WeightHh[k], BiasIh?[k], BiasHh?[k], h0, Nonlinearity == RnnNonlinearity.Relu, BatchFirst), null);
}
