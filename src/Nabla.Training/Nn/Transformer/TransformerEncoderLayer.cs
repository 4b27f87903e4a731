using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>The activation between the two Linears of a <see cref="TransformerEncoderLayer{T}"/>.</summary>
public enum TransformerActivation
{
    /// <summary>max(x, 0), PyTorch's default.</summary>
    Relu,
    /// <summary>The exact GELU, x·Φ(x).</summary>
    Gelu,
}

/// <summary>
/// PyTorch's <c>nn.TransformerEncoderLayer</c>: self-attention (<c>self_attn</c>, a <see cref="MultiheadAttention{T}"/>)
/// and a feed-forward block linear2(dropout(act(linear1(x)))), each with dropout and a residual connection, and LayerNorms
/// <c>norm1</c>, <c>norm2</c>. Post-norm (PyTorch's default): x ← norm1(x + sa(x)), x ← norm2(x + ff(x)); with
/// <c>normFirst</c>: x ← x + sa(norm1(x)), x ← x + ff(norm2(x)). Parameters are drawn as PyTorch builds the layer, in this
/// order: self_attn (in_proj Xavier-uniform, out_proj weight U(±1/√d)), linear1, linear2 (Linear's default), from the
/// generator given, else <see cref="RandomState.Default"/>; norms 1 and 0.
/// </summary>
public sealed class TransformerEncoderLayer<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MultiheadAttention<T> _selfAttn;
    private readonly Linear<T> _linear1, _linear2;
    private readonly LayerNorm<T> _norm1, _norm2;
    private readonly RandomState _rng;

    /// <summary>A layer of width <paramref name="dModel"/> with <paramref name="nhead"/> heads and a feed-forward width of <paramref name="dimFeedforward"/>.</summary>
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward = 2048, double dropout = 0.1,
        TransformerActivation activation = TransformerActivation.Relu, double layerNormEps = 1e-5, bool batchFirst = false,
        bool normFirst = false, RandomState? rng = null)
    {
        NablaArgumentException.Check(dimFeedforward, dimFeedforward >= 1, "TransformerEncoderLayer", nameof(dimFeedforward), "≥ 1");
        if (activation is not (TransformerActivation.Relu or TransformerActivation.Gelu))
            throw new NablaArgumentException(nameof(activation), $"TransformerEncoderLayer: unknown activation {activation}");
        _rng = rng ?? RandomState.Default;
        _selfAttn = new MultiheadAttention<T>(dModel, nhead, dropout, bias: true, batchFirst, _rng);
        _linear1 = new Linear<T>(dModel, dimFeedforward, _rng);
        _linear2 = new Linear<T>(dimFeedforward, dModel, _rng);
        _norm1 = new LayerNorm<T>(dModel, layerNormEps);
        _norm2 = new LayerNorm<T>(dModel, layerNormEps);
        (DropoutP, Activation, NormFirst) = (dropout, activation, normFirst);
    }

    /// <summary>Dropout after the attention, inside the feed-forward block and after it, in training mode.</summary>
    public double DropoutP { get; }
    /// <summary>The feed-forward activation.</summary>
    public TransformerActivation Activation { get; }
    /// <summary>True for pre-norm, false for PyTorch's default post-norm.</summary>
    public bool NormFirst { get; }
    /// <summary>The self-attention, <c>self_attn</c>.</summary>
    public MultiheadAttention<T> SelfAttention => _selfAttn;

    /// <summary>The layer applied to <paramref name="input"/> [S, N, E] ([N, S, E] when batch first) without masks.</summary>
    public override Tensor<T> Forward(Tensor<T> input) => Forward(input, null, null);

    /// <summary>
    /// The layer applied to <paramref name="src"/> with PyTorch's <c>src_mask</c> ([S, S] or [N·heads, S, S]) and
    /// <c>src_key_padding_mask</c> ([N, S]), read as <paramref name="maskKind"/> says; <paramref name="isCausal"/> lets
    /// position i attend to positions ≤ i only.
    /// </summary>
    public Tensor<T> Forward(Tensor<T> src, Tensor<T>? srcMask, Tensor<T>? srcKeyPaddingMask, bool isCausal = false,
        AttentionMaskKind maskKind = AttentionMaskKind.Boolean)
    {
        ArgumentNullException.ThrowIfNull(src);
        Tensor<T> Attend(Tensor<T> x) =>
            _selfAttn.Forward(x, x, x, srcKeyPaddingMask, srcMask, isCausal, needWeights: false, maskKind).Output.Dropout(DropoutP, _rng, IsTraining);
        var x = src;
        if (NormFirst)
        {
            x = x + Attend(_norm1.Call(x));
            return x + FeedForward(_norm2.Call(x));
        }
        x = _norm1.Call(x + Attend(x));
        return _norm2.Call(x + FeedForward(x));
    }

    private Tensor<T> FeedForward(Tensor<T> x)
    {
        var h = _linear1.Call(x);
        h = Activation == TransformerActivation.Gelu ? h.Gelu() : h.Relu();
        return _linear2.Call(h.Dropout(DropoutP, _rng, IsTraining)).Dropout(DropoutP, _rng, IsTraining);
    }

    /// <summary>"self_attn", "linear1", "linear2", "norm1", "norm2" (PyTorch's order; its dropouts hold no state).</summary>
    public override IEnumerable<(string Name, Module<T> Module)> Children()
    {
        yield return ("self_attn", _selfAttn);
        yield return ("linear1", _linear1);
        yield return ("linear2", _linear2);
        yield return ("norm1", _norm1);
        yield return ("norm2", _norm2);
    }

    /// <summary>No own parameters.</summary>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters() => [];
}
