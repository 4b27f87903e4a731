using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A stack of GRU layers as PyTorch's <c>nn.GRU</c> (gates r, z, n; n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)),
/// h_t = (1 − z)⊙n + z⊙h_{t−1}; see <see cref="Tensor{T}.GruLayer"/>), with PyTorch's parameter names, shapes
/// ([3H, in], [3H, H], [3H]), order and initialisation, so state dicts load both ways.
/// </summary>
public sealed class GRU<T> : RecurrentModule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Parameters drawn from U(−1/√H, 1/√H) with <paramref name="rng"/>, which also draws the dropout masks.</summary>
    public GRU(int inputSize, int hiddenSize, RandomState rng, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0)
        : base("GRU", 3, inputSize, hiddenSize, rng, numLayers, bias, batchFirst, dropout) { }

    /// <summary>Parameters and dropout masks drawn from <see cref="RandomState.Default"/>.</summary>
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0)
        : this(inputSize, hiddenSize, RandomState.Default, numLayers, bias, batchFirst, dropout) { }

    private protected override (Tensor<T> Output, Tensor<T>? Cell) Layer(int k, Tensor<T> x, Tensor<T>? h0, Tensor<T>? c0) =>
        (Tensor<T>.GruLayer(x, WeightIh[k], WeightHh[k], BiasIh?[k], BiasHh?[k], h0, BatchFirst), null);
}
