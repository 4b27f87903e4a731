using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// Batch normalisation over the channel axis as PyTorch's <c>nn.BatchNorm*d</c>: parameters <c>weight</c> (ones) and
/// <c>bias</c> (zeros), buffers <c>running_mean</c> (zeros), <c>running_var</c> (ones) and <c>num_batches_tracked</c>.
/// In training mode it normalises by the batch's statistics and moves the running ones by <see cref="Momentum"/> (null:
/// a cumulative average, 1/num_batches_tracked); in eval mode it uses the running statistics.
/// </summary>
public abstract class BatchNorm<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected BatchNorm(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
    {
        if (numFeatures < 1) throw new NablaException($"{Name} needs a positive number of features, got {numFeatures}");
        if (momentum is < 0 or > 1) throw new NablaException($"{Name} momentum must be in [0, 1], got {momentum}");
        (NumFeatures, Eps, Momentum) = (numFeatures, eps, momentum);
        Weight = affine ? Tensor<T>.Ones(numFeatures).RequireGrad() : null;
        Bias = affine ? Tensor<T>.Zeros(numFeatures).RequireGrad() : null;
        if (!trackRunningStats) return;
        RunningMean = Tensor<T>.Zeros(numFeatures);
        RunningVar = Tensor<T>.Ones(numFeatures);
        NumBatchesTracked = Tensor<T>.Zeros();
    }

    private string Name => TypeName;

    /// <summary>Channels (C of [N, C, …]).</summary>
    public int NumFeatures { get; }
    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }
    /// <summary>Weight of the new batch's statistics in the running ones, or null for a cumulative average.</summary>
    public double? Momentum { get; }
    /// <summary>The per-channel scale γ, or null without affine parameters.</summary>
    public Tensor<T>? Weight { get; }
    /// <summary>The per-channel shift β, or null without affine parameters.</summary>
    public Tensor<T>? Bias { get; }
    /// <summary>The running mean, or null when running statistics are not tracked.</summary>
    public Tensor<T>? RunningMean { get; }
    /// <summary>The running (unbiased) variance, or null when running statistics are not tracked.</summary>
    public Tensor<T>? RunningVar { get; }
    /// <summary>How many training batches moved the running statistics (0-d), or null when not tracked.</summary>
    public Tensor<T>? NumBatchesTracked { get; }

    /// <summary>The input ranks this variant accepts.</summary>
    private protected abstract int[] Ranks { get; }

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Ranks.Contains(input.Rank) || input.Shape[1] != NumFeatures)
            throw new NablaException($"{Name}({NumFeatures}) needs input of shape {string.Join(" or ", Ranks.Select(Expected))}, got {Shapes.Format([.. input.Shape])}");
        double momentum = Momentum ?? 0;
        if (IsTraining && NumBatchesTracked is not null)
        {
            NumBatchesTracked.AsSpan()[0] += T.One;
            if (Momentum is null) momentum = 1 / double.CreateTruncating(NumBatchesTracked.ToScalar());
        }
        return Tensor<T>.BatchNorm(input, Weight, Bias, RunningMean, RunningVar, IsTraining, momentum, Eps);
    }

    private string Expected(int rank) => rank switch { 2 => $"[N, {NumFeatures}]", 3 => $"[N, {NumFeatures}, L]", _ => $"[N, {NumFeatures}, H, W]" };

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        if (Weight is not null) yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, Tensor<T> Buffer)> OwnBuffers()
    {
        if (RunningMean is null) yield break;
        yield return ("running_mean", RunningMean);
        yield return ("running_var", RunningVar!);
        yield return ("num_batches_tracked", NumBatchesTracked!);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}({NumFeatures}, eps={ModuleNames.PythonFloat(Eps)}, momentum={(Momentum is null ? "None" : ModuleNames.PythonFloat(Momentum.Value))}, affine={(Weight is not null ? "True" : "False")}, track_running_stats={(RunningMean is not null ? "True" : "False")})";
}

/// <summary>Batch normalisation of [N, C] or [N, C, L] input, as PyTorch's <c>nn.BatchNorm1d</c>.</summary>
public sealed class BatchNorm1d<T>(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    : BatchNorm<T>(numFeatures, eps, momentum, affine, trackRunningStats) where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected override int[] Ranks => [2, 3];
}

/// <summary>Batch normalisation of [N, C, H, W] input, as PyTorch's <c>nn.BatchNorm2d</c>.</summary>
public sealed class BatchNorm2d<T>(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    : BatchNorm<T>(numFeatures, eps, momentum, affine, trackRunningStats) where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected override int[] Ranks => [4];
}
