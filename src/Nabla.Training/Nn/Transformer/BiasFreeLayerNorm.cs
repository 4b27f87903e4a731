using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// Layer normalisation over the last dimension with a scale and no shift, nanoGPT's <c>LayerNorm(ndim, bias=False)</c>:
/// y = γ ⊙ (x − μ)/√(σ² + 1e-5), one parameter <c>weight</c> (ones). Used by the GPT modules built with <c>bias: false</c>.
/// </summary>
internal sealed class BiasFreeLayerNorm<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T> _weight;

    public BiasFreeLayerNorm(int features) => _weight = Tensor<T>.Ones(features).RequireGrad();

    public override Tensor<T> Forward(Tensor<T> input) => Tensor<T>.LayerNorm(input, [_weight.Shape[0]], _weight, null, 1e-5);

    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        yield return ("weight", _weight);
    }

    public override string ToString() => $"LayerNorm(({_weight.Shape[0]},), eps=1e-05, elementwise_affine=True, bias=False)";
}
