using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A fully connected layer, y = x·Wᵀ + b, as PyTorch's <c>nn.Linear</c>: <see cref="Weight"/> has shape
/// [outFeatures, inFeatures] and <see cref="Bias"/> shape [outFeatures], so a saved state dict loads in PyTorch
/// unchanged. Forward is the single fused op <see cref="Tensor{T}.Linear"/>. Built without a generator, the parameters
/// are drawn as PyTorch draws them, weight then bias ~ U(−1/√inFeatures, 1/√inFeatures), from
/// <see cref="RandomState.Default"/>; <c>RandomState.Default.Seed(n)</c> makes that repeatable as
/// <c>torch.manual_seed(n)</c> does (the same distribution, not PyTorch's numbers). The constructor taking a
/// <see cref="RandomState"/> draws from that generator instead, with any <see cref="InitScheme"/>.
/// </summary>
public sealed class Linear<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A layer with PyTorch's default initialisation drawn from <see cref="RandomState.Default"/> (weight first, then bias).</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true)
        : this(inFeatures, outFeatures, RandomState.Default, InitScheme.PyTorchDefault, bias) { }

    /// <summary>A layer initialised with <paramref name="init"/> from <paramref name="rng"/> (weight drawn first, then bias).</summary>
    public Linear(int inFeatures, int outFeatures, RandomState rng, InitScheme init = InitScheme.PyTorchDefault, bool bias = true)
    {
        InFeatures = NablaArgumentException.Check(inFeatures, inFeatures >= 0, "Linear", nameof(inFeatures), "≥ 0");
        OutFeatures = NablaArgumentException.Check(outFeatures, outFeatures >= 0, "Linear", nameof(outFeatures), "≥ 0");
        ArgumentNullException.ThrowIfNull(rng);
        Weight = Tensor<T>.Zeros(outFeatures, inFeatures).RequireGrad();
        Bias = bias ? Tensor<T>.Zeros(outFeatures).RequireGrad() : null;
        Init.Apply(this, init, rng);
    }

    /// <summary>Size of each input row.</summary>
    public int InFeatures { get; }

    /// <summary>Size of each output row.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight W, shape [OutFeatures, InFeatures], a leaf with RequiresGrad set.</summary>
    public Tensor<T> Weight { get; }

    /// <summary>The bias b, shape [OutFeatures], or null when built with <c>bias: false</c>.</summary>
    public Tensor<T>? Bias { get; }

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
