using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// The shape of a <see cref="Gpt{T}"/>, nanoGPT's <c>GPTConfig</c>: <paramref name="VocabSize"/> tokens,
/// sequences of up to <paramref name="BlockSize"/> positions, <paramref name="Layers"/> blocks of
/// <paramref name="Heads"/> heads over <paramref name="Width"/> features, <paramref name="Dropout"/> in training, and
/// biases in the Linears and LayerNorms when <paramref name="Bias"/>.
/// </summary>
public sealed record GptConfig(int VocabSize, int BlockSize, int Layers, int Heads, int Width, double Dropout = 0, bool Bias = true)
{
    /// <summary>Throws a <see cref="NablaArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        static void Positive(int value, string name)
        {
            if (value < 1) throw new NablaArgumentException(name, $"GptConfig: {name} must be ≥ 1, got {value}");
        }
        Positive(VocabSize, nameof(VocabSize));
        Positive(BlockSize, nameof(BlockSize));
        Positive(Layers, nameof(Layers));
        Positive(Heads, nameof(Heads));
        Positive(Width, nameof(Width));
        if (Width % Heads != 0)
            throw new NablaArgumentException(nameof(Heads), $"GptConfig: Width {Width} must split into Heads = {Heads} equal parts");
        if (!(Dropout >= 0 && Dropout <= 1))
            throw new NablaArgumentException(nameof(Dropout), $"GptConfig: Dropout must be in [0, 1], got {Dropout}");
    }
}
