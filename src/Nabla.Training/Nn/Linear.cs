using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A fully connected layer, y = x·Wᵀ + b, as PyTorch's <c>nn.Linear</c>: <see cref="Weight"/> has shape
/// [<paramref name="outFeatures"/>, <paramref name="inFeatures"/>] and <see cref="Bias"/> shape [outFeatures], so
/// a saved state dict loads in PyTorch unchanged. Forward is the single fused op <see cref="Tensor{T}.Linear"/>.
/// Parameters start as zeros; the constructor taking a <see cref="RandomState"/> initialises them (PyTorch's
/// default unless another <see cref="InitScheme"/> is given).
/// </summary>
public sealed class Linear<T>(int inFeatures, int outFeatures, bool bias = true) : Module<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A layer initialised with <paramref name="init"/> from <paramref name="rng"/> (weight drawn first, then bias).</summary>
    public Linear(int inFeatures, int outFeatures, RandomState rng, InitScheme init = InitScheme.PyTorchDefault, bool bias = true)
        : this(inFeatures, outFeatures, bias) => Init.Apply(this, init, rng);

    /// <summary>Size of each input row.</summary>
    public int InFeatures { get; } = NablaArgumentException.Check(inFeatures, inFeatures >= 0, "Linear", nameof(inFeatures), "≥ 0");

    /// <summary>Size of each output row.</summary>
    public int OutFeatures { get; } = NablaArgumentException.Check(outFeatures, outFeatures >= 0, "Linear", nameof(outFeatures), "≥ 0");

    /// <summary>The weight W, shape [OutFeatures, InFeatures], a leaf with RequiresGrad set.</summary>
    public Tensor<T> Weight { get; } = Tensor<T>.Zeros(outFeatures, inFeatures).RequireGrad();

    /// <summary>The bias b, shape [OutFeatures], or null when built with <c>bias: false</c>.</summary>
    public Tensor<T>? Bias { get; } = bias ? Tensor<T>.Zeros(outFeatures).RequireGrad() : null;

    /// <summary>y = x·Wᵀ + b for x of shape [..., InFeatures]; y has shape [..., OutFeatures].</summary>
    public override Tensor<T> Forward(Tensor<T> input) => Tensor<T>.Linear(input, Weight, Bias);

    /// <summary>"weight", then "bias" when there is one.</summary>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    /// <summary>"Linear(in_features=…, out_features=…, bias=True|False)", as PyTorch prints it.</summary>
    public override string ToString() => $"Linear(in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is not null ? "True" : "False")})";
}
