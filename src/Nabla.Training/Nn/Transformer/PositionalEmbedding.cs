using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A learned absolute position embedding, nanoGPT's <c>wpe</c>: a table <see cref="Weight"/> [maxLength, dim] whose row t
/// is added to every sequence's position t. <see cref="Forward"/>(x [.., T, dim]) = x + Weight[0..T) broadcast over the
/// leading dimensions; backward adds the gradient summed over those dimensions into rows 0 … T−1. The table is drawn
/// from N(0, 0.02²) (nanoGPT's init for embeddings) from the generator given, else from <see cref="RandomState.Default"/>.
/// Saved as <c>weight</c>, so inside a model it loads as PyTorch's <c>nn.Embedding</c> of that name.
/// </summary>
public sealed class PositionalEmbedding<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A table for sequences of up to <paramref name="maxLength"/> positions of width <paramref name="dim"/>.</summary>
    public PositionalEmbedding(int maxLength, int dim, RandomState? rng = null)
    {
        MaxLength = NablaArgumentException.Check(maxLength, maxLength >= 1, "PositionalEmbedding", nameof(maxLength), "≥ 1");
        Dim = NablaArgumentException.Check(dim, dim >= 1, "PositionalEmbedding", nameof(dim), "≥ 1");
        Weight = Tensor<T>.Zeros(maxLength, dim).RequireGrad();
        Init.Normal(Weight, rng ?? RandomState.Default, 0, 0.02);
    }

    /// <summary>The longest sequence the table covers.</summary>
    public int MaxLength { get; }

    /// <summary>The width of each position's vector.</summary>
    public int Dim { get; }

    /// <summary>The table, shape [MaxLength, Dim].</summary>
    public Tensor<T> Weight { get; }

    /// <summary>
    /// x + Weight[0..T) for x of shape [.., T, Dim] (rank ≥ 2); refuses a sequence longer than <see cref="MaxLength"/> or
    /// a last dimension other than <see cref="Dim"/>, naming both sizes.
    /// </summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Shape[^1] != Dim)
            throw new NablaArgumentException(nameof(input),
                $"PositionalEmbedding needs input of shape [.., T, {Dim}], got {Shapes.Format([.. input.Shape])}");
        int t = input.Shape[^2];
        if (t > MaxLength)
            throw new NablaArgumentException(nameof(input),
                $"PositionalEmbedding: the sequence has {t} positions but the table covers at most maxLength = {MaxLength}");
        return input + Weight.Slice(0, 0, t);
    }

    /// <summary>"weight".</summary>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        yield return ("weight", Weight);
    }

    /// <summary>"PositionalEmbedding(maxLength, dim)".</summary>
    public override string ToString() => $"PositionalEmbedding({MaxLength}, {Dim})";
}
