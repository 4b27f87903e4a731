using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A lookup table as PyTorch's <c>nn.Embedding</c>: <see cref="Weight"/> [num_embeddings, embedding_dim]; the input holds
/// row indices (whole numbers stored in the tensor) and the output appends the embedding dimension to its shape.
/// The table is drawn from N(0, 1), PyTorch's default, from the <see cref="RandomState"/> given or else from
/// <see cref="RandomState.Default"/> (seeded by <c>RandomState.Default.Seed(n)</c>, as PyTorch's by <c>torch.manual_seed(n)</c>).
/// </summary>
public sealed class Embedding<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A table drawn from N(0, 1) with <see cref="RandomState.Default"/>.</summary>
    public Embedding(int numEmbeddings, int embeddingDim) : this(numEmbeddings, embeddingDim, RandomState.Default) { }

    /// <summary>A table drawn from N(0, 1) with <paramref name="rng"/>.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, RandomState rng)
    {
        if (numEmbeddings < 1 || embeddingDim < 1)
            throw new NablaException($"Embedding needs positive num_embeddings and embedding_dim, got {numEmbeddings} and {embeddingDim}");
        ArgumentNullException.ThrowIfNull(rng);
        Weight = Tensor<T>.Zeros(numEmbeddings, embeddingDim).RequireGrad();
        Init.Normal(Weight, rng);
    }

    /// <summary>The table, shape [rows, dim].</summary>
    public Tensor<T> Weight { get; }

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var values = input.ToArray();
        var indices = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = double.CreateTruncating(values[i]);
            if (v != Math.Floor(v) || v < 0 || v >= Weight.Shape[0])
                throw new NablaException($"Embedding input at position {i} is {v}, not a row index in [0, {Weight.Shape[0]})");
            indices[i] = (int)v;
        }
        return Tensor<T>.Embedding(Weight, indices, [.. input.Shape]);
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        yield return ("weight", Weight);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Embedding({Weight.Shape[0]}, {Weight.Shape[1]})";
}
