using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A language model's output layer that reuses an <see cref="Embedding{T}"/>'s table [V, C] as its weight:
/// y = x·Eᵀ (+ b), mapping [..., C] to [..., V] (nanoGPT's <c>lm_head.weight = wte.weight</c>). The table is one
/// tensor used twice, so its gradient is the sum of both uses, and it belongs to the embedding: this layer's state
/// holds only its bias, and rebuilding the model from its description ties it again.
/// </summary>
internal sealed class TiedLinear<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [NotRegistered] private readonly Embedding<T> embedding;

    public TiedLinear(Embedding<T> embedding, bool bias)
    {
        this.embedding = embedding;
        Bias = bias ? Tensor<T>.Zeros(embedding.Weight.Shape[0]).RequireGrad() : null;
    }

    /// <summary>The bias [V], zero at the start, or null.</summary>
    public Tensor<T>? Bias { get; }

    public override Tensor<T> Forward(Tensor<T> input) => Tensor<T>.Linear(input, embedding.Weight, Bias);

    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        if (Bias is not null) yield return ("bias", Bias);
    }

    public override string ToString() =>
        $"Linear(in_features={embedding.Weight.Shape[1]}, out_features={embedding.Weight.Shape[0]}, bias={(Bias is not null ? "True" : "False")}, weight tied to the embedding)";
}
