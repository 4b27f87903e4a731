using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A 2-d convolution layer as PyTorch's <c>nn.Conv2d</c>: input [N, in_channels, H, W], <see cref="Weight"/>
/// [out_channels, in_channels/groups, k, k] and <see cref="Bias"/> [out_channels], so state dicts load unchanged both
/// ways. Forward is <see cref="Tensor{T}.Conv2d"/>. The parameters are drawn as PyTorch draws them, weight then bias ~
/// U(±1/√fan_in) with fan_in = in_channels/groups·k², from the <see cref="RandomState"/> given or else from
/// <see cref="RandomState.Default"/> (seeded by <c>RandomState.Default.Seed(n)</c>, as PyTorch's by <c>torch.manual_seed(n)</c>).
/// </summary>
public sealed class Conv2d<T> : Module<T>, IFusedLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A layer with PyTorch's default initialisation drawn from <see cref="RandomState.Default"/>; throws when a size or setting is out of range.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true)
        : this(inChannels, outChannels, kernelSize, RandomState.Default, stride, padding, dilation, groups, bias) { }

    /// <summary>A layer with PyTorch's default initialisation drawn from <paramref name="rng"/> (weight first, then bias).</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, RandomState rng, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true)
    {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1)
            throw new NablaException($"Conv2d needs positive in_channels, out_channels and kernel_size, got {inChannels}, {outChannels}, {kernelSize}");
        if (stride < 1 || padding < 0 || dilation < 1)
            throw new NablaException($"Conv2d needs stride ≥ 1, padding ≥ 0 and dilation ≥ 1, got {stride}, {padding}, {dilation}");
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new NablaException($"Conv2d: groups = {groups} must divide in_channels = {inChannels} and out_channels = {outChannels}");
        ArgumentNullException.ThrowIfNull(rng);
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) = (inChannels, outChannels, kernelSize, stride, padding, dilation, groups);
        Weight = Tensor<T>.Zeros(outChannels, inChannels / groups, kernelSize, kernelSize).RequireGrad();
        Bias = bias ? Tensor<T>.Zeros(outChannels).RequireGrad() : null;
        double bound = 1 / Math.Sqrt(Init.Fans(Weight).FanIn);
        Init.Uniform(Weight, rng, -bound, bound);
        if (Bias is not null) Init.Uniform(Bias, rng, -bound, bound);
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }
    /// <summary>Channels of the output (number of filters).</summary>
    public int OutChannels { get; }
    /// <summary>Height and width of each filter.</summary>
    public int KernelSize { get; }
    /// <summary>Step between window positions.</summary>
    public int Stride { get; }
    /// <summary>Zeros added on every side of the input plane.</summary>
    public int Padding { get; }
    /// <summary>Spacing between kernel taps.</summary>
    public int Dilation { get; }
    /// <summary>Channel groups convolved separately.</summary>
    public int Groups { get; }

    /// <summary>The filters, shape [OutChannels, InChannels/Groups, KernelSize, KernelSize].</summary>
    public Tensor<T> Weight { get; }

    /// <summary>The bias, shape [OutChannels], or null.</summary>
    public Tensor<T>? Bias { get; }

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => Tensor<T>.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <summary>
    /// This layer and the activation <paramref name="next"/> after it as one op (<see cref="Tensor{T}.Conv2dActivation{TOp}"/>:
    /// the same values and gradients, one tensor instead of two), or null when <paramref name="next"/> is not a ReLU,
    /// sigmoid or tanh.
    /// </summary>
    Tensor<T>? IFusedLayer<T>.FusedWith(Module<T> next, Tensor<T> input) => next switch
    {
        ReLU<T> => Tensor<T>.Conv2dActivation<Ops.Relu>(input, Weight, Bias, Stride, Padding, Dilation, Groups),
        Sigmoid<T> => Tensor<T>.Conv2dActivation<Ops.Sigmoid>(input, Weight, Bias, Stride, Padding, Dilation, Groups),
        Tanh<T> => Tensor<T>.Conv2dActivation<Ops.Tanh>(input, Weight, Bias, Stride, Padding, Dilation, Groups),
        _ => null,
    };

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Conv2d({InChannels}, {OutChannels}, kernel_size=({KernelSize}, {KernelSize}), stride=({Stride}, {Stride})" +
        (Padding != 0 ? $", padding=({Padding}, {Padding})" : "") + (Dilation != 1 ? $", dilation=({Dilation}, {Dilation})" : "") +
        (Groups != 1 ? $", groups={Groups}" : "") + (Bias is null ? ", bias=False" : "") + ")";
}
