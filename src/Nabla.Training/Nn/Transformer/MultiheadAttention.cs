using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>How <see cref="MultiheadAttention{T}"/> reads its masks.</summary>
public enum AttentionMaskKind
{
    /// <summary>PyTorch's bool masks: a nonzero entry means the key is not allowed (becomes −∞ before the softmax).</summary>
    Boolean,
    /// <summary>PyTorch's float masks: the entry is added to the scaled score (−∞ hides a key).</summary>
    Additive,
}

/// <summary>
/// Multi-head attention as PyTorch's <c>nn.MultiheadAttention</c> with kdim = vdim = embedDim: q|k|v = input
/// projections by the rows of <see cref="InProjWeight"/> [3E, E] (q rows first, then k, then v) plus
/// <see cref="InProjBias"/> [3E]; each split into <see cref="NumHeads"/> heads of E / heads features; per head
/// softmax(q·kᵀ/√hs + masks)·v; heads side by side; then <see cref="OutProj"/>. State-dict names are PyTorch's
/// (<c>in_proj_weight</c>, <c>in_proj_bias</c>, <c>out_proj.weight</c>, <c>out_proj.bias</c>), layouts too, and so is
/// the init, drawn from the generator given (else <see cref="RandomState.Default"/>): in_proj_weight Xavier-uniform over
/// the whole [3E, E], then out_proj Linear's default U(±1/√E) for its weight and bias, then both biases set to 0.
/// <para>
/// Without weights asked for and without dropout in training, the fused
/// <see cref="Tensor{T}.ScaledDotProductAttention(Tensor{T}, Tensor{T}, Tensor{T}, bool, Tensor{T}?, double?)"/> runs
/// (for unmasked self-attention, its packed form reading q, k, v in place from one [N, L, 3E] product): a query whose every
/// key is masked gets output 0 and gradient 0. Otherwise the probabilities are built with separate ops (needed to return
/// or drop them), and a fully masked row is NaN, as in PyTorch's <c>need_weights=True</c>.
/// </para>
/// </summary>
public sealed class MultiheadAttention<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RandomState _rng;

    /// <summary>Attention over <paramref name="embedDim"/> features in <paramref name="numHeads"/> heads (numHeads divides embedDim).</summary>
    public MultiheadAttention(int embedDim, int numHeads, double dropout = 0, bool bias = true, bool batchFirst = false, RandomState? rng = null)
    {
        NablaArgumentException.Check(embedDim, embedDim >= 1, "MultiheadAttention", nameof(embedDim), "≥ 1");
        if (numHeads < 1 || embedDim % numHeads != 0)
            throw new NablaArgumentException(nameof(numHeads), $"MultiheadAttention: embedDim {embedDim} must split into numHeads = {numHeads} equal parts");
        if (!(dropout >= 0 && dropout <= 1))
            throw new NablaArgumentException(nameof(dropout), $"MultiheadAttention: dropout must be in [0, 1], got {dropout}");
        (EmbedDim, NumHeads, DropoutP, BatchFirst) = (embedDim, numHeads, dropout, batchFirst);
        _rng = rng ?? RandomState.Default;
        InProjWeight = Tensor<T>.Zeros(3 * embedDim, embedDim).RequireGrad();
        InProjBias = bias ? Tensor<T>.Zeros(3 * embedDim).RequireGrad() : null;
        Init.XavierUniform(InProjWeight, _rng);
        OutProj = new Linear<T>(embedDim, embedDim, _rng, InitScheme.PyTorchDefault, bias);
        if (OutProj.Bias is not null) Init.Zeros(OutProj.Bias);
    }

    /// <summary>The model width E.</summary>
    public int EmbedDim { get; }
    /// <summary>The number of heads.</summary>
    public int NumHeads { get; }
    /// <summary>Dropout on the attention probabilities, in training mode.</summary>
    public double DropoutP { get; }
    /// <summary>True when inputs are [N, L, E] (batch first); false for PyTorch's default [L, N, E].</summary>
    public bool BatchFirst { get; }
    /// <summary>The q|k|v projection weights, [3E, E].</summary>
    public Tensor<T> InProjWeight { get; }
    /// <summary>The q|k|v projection biases, [3E], or null without bias.</summary>
    public Tensor<T>? InProjBias { get; }
    /// <summary>The output projection, <c>out_proj</c>.</summary>
    public Linear<T> OutProj { get; }

    /// <summary>Self-attention of <paramref name="input"/> without masks: the output of <see cref="Forward(Tensor{T}, Tensor{T}, Tensor{T}, Tensor{T}?, Tensor{T}?, bool, bool, AttentionMaskKind)"/>(input, input, input).</summary>
    public override Tensor<T> Forward(Tensor<T> input) => Forward(input, input, input).Output;

    /// <summary>
    /// Attention of <paramref name="query"/> [L, N, E] over <paramref name="key"/> [S, N, E] and <paramref name="value"/>
    /// [S, N, E] (each [N, ·, E] when <see cref="BatchFirst"/>); returns the output in the query's layout and, when
    /// <paramref name="needWeights"/>, the probabilities averaged over heads, [N, L, S]. <paramref name="keyPaddingMask"/>
    /// [N, S] hides keys per batch entry; <paramref name="attnMask"/> [L, S] or [N·heads, L, S] hides or shifts scores;
    /// both read as <paramref name="maskKind"/> says (PyTorch's bool polarity by default: nonzero = not allowed).
    /// <paramref name="isCausal"/> lets query i see keys j ≤ i only. Passing the same tensor as query, key and value makes
    /// one [N, L, 3E] projection.
    /// </summary>
    public (Tensor<T> Output, Tensor<T>? Weights) Forward(Tensor<T> query, Tensor<T> key, Tensor<T> value, Tensor<T>? keyPaddingMask = null,
        Tensor<T>? attnMask = null, bool isCausal = false, bool needWeights = false, AttentionMaskKind maskKind = AttentionMaskKind.Boolean)
    {
        Limits.Defined(maskKind, nameof(maskKind));
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        CheckInput(query, nameof(query));
        CheckInput(key, nameof(key));
        CheckInput(value, nameof(value));
        var (q3, k3, v3) = BatchFirst ? (query, key, value) : (query.Transpose(0, 1), key.Transpose(0, 1), value.Transpose(0, 1));
        int n = q3.Shape[0], l = q3.Shape[1], s = k3.Shape[1], e = EmbedDim, hs = e / NumHeads;
        if (k3.Shape[0] != n || v3.Shape[0] != n || v3.Shape[1] != s)
            throw new NablaArgumentException(nameof(key), $"MultiheadAttention: query {Shapes.Format([.. query.Shape])}, key {Shapes.Format([.. key.Shape])} "
                + $"and value {Shapes.Format([.. value.Shape])} need one batch size, and key and value one length");
        var mask = CombinedMask(keyPaddingMask, attnMask, maskKind, n, l, s);
        bool self = ReferenceEquals(query, key) && ReferenceEquals(key, value);
        bool composed = needWeights || (IsTraining && DropoutP > 0);
        Tensor<T> heads;
        Tensor<T>? weights = null;
        if (self && mask is null && !composed)
            heads = Tensor<T>.ScaledDotProductAttention(Tensor<T>.Linear(q3, InProjWeight, InProjBias), NumHeads, isCausal);
        else
        {
            Tensor<T> q, k, v;
            if (self)
            {
                var qkv = Tensor<T>.Linear(q3, InProjWeight, InProjBias);
                (q, k, v) = (Heads(qkv.Slice(2, 0, e), n, l), Heads(qkv.Slice(2, e, 2 * e), n, l), Heads(qkv.Slice(2, 2 * e, 3 * e), n, l));
            }
            else (q, k, v) = (Heads(Project(q3, 0), n, l), Heads(Project(k3, 1), n, s), Heads(Project(v3, 2), n, s));
            if (!composed) heads = Tensor<T>.ScaledDotProductAttention(q, k, v, isCausal, mask);
            else
            {
                var scores = q.MatMul(k.Transpose(2, 3)) * T.CreateChecked(1 / Math.Sqrt(hs));
                if (mask is not null) scores += mask;
                if (isCausal) scores = scores.MaskedFill(Tensor<T>.CausalMask(l, s), T.NegativeInfinity);
                var p = scores.Softmax(-1).Dropout(DropoutP, _rng, IsTraining);
                if (needWeights) weights = p.Mean(1);
                heads = p.MatMul(v);
            }
            heads = heads.Transpose(1, 2).Reshape(n, l, e);
        }
        var y = OutProj.Call(heads);
        return (BatchFirst ? y : y.Transpose(0, 1), weights);
    }

    /// <summary>x·W_partᵀ + b_part with rows part·E … part·E + E − 1 of the input projection.</summary>
    private Tensor<T> Project(Tensor<T> x, int part) =>
        Tensor<T>.Linear(x, InProjWeight.Slice(0, part * EmbedDim, (part + 1) * EmbedDim), InProjBias?.Slice(0, part * EmbedDim, (part + 1) * EmbedDim));

    /// <summary>[N, len, E] → [N, heads, len, hs] (a view when the input allows it).</summary>
    private Tensor<T> Heads(Tensor<T> x, int n, int len) => x.Reshape(n, len, NumHeads, EmbedDim / NumHeads).Transpose(1, 2);

    private void CheckInput(Tensor<T> x, string name)
    {
        if (x.Rank != 3 || x.Shape[2] != EmbedDim)
            throw new NablaArgumentException(name, $"MultiheadAttention: {name} must be {(BatchFirst ? "[N, L, E]" : "[L, N, E]")} with E = {EmbedDim}, got {Shapes.Format([.. x.Shape])}");
    }

    /// <summary>Both masks as one additive mask broadcastable to [N, heads, L, S], or null when neither is given.</summary>
    private Tensor<T>? CombinedMask(Tensor<T>? keyPadding, Tensor<T>? attn, AttentionMaskKind kind, int n, int l, int s)
    {
        Tensor<T>? result = null;
        if (keyPadding is not null)
        {
            if (keyPadding.Rank != 2 || keyPadding.Shape[0] != n || keyPadding.Shape[1] != s)
                throw new NablaArgumentException("keyPaddingMask", $"MultiheadAttention: keyPaddingMask must be [N, S] = [{n}, {s}], got {Shapes.Format([.. keyPadding.Shape])}");
            result = Additive(keyPadding, kind).Reshape(n, 1, 1, s);
        }
        if (attn is not null)
        {
            Tensor<T> a;
            if (attn.Rank == 2 && attn.Shape[0] == l && attn.Shape[1] == s) a = Additive(attn, kind);
            else if (attn.Rank == 3 && attn.Shape[0] == n * NumHeads && attn.Shape[1] == l && attn.Shape[2] == s) a = Additive(attn, kind).Reshape(n, NumHeads, l, s);
            else throw new NablaArgumentException("attnMask", $"MultiheadAttention: attnMask must be [L, S] = [{l}, {s}] or [N·heads, L, S] = [{n * NumHeads}, {l}, {s}], got {Shapes.Format([.. attn.Shape])}");
            result = result is null ? a : result + a;
        }
        return result;
    }

    private static Tensor<T> Additive(Tensor<T> mask, AttentionMaskKind kind)
    {
        var m = mask.Detach();
        return kind == AttentionMaskKind.Additive ? m : Tensor<T>.Zeros([.. m.Shape]).MaskedFill(m, T.NegativeInfinity);
    }

    /// <summary>"in_proj_weight", then "in_proj_bias" when there is one.</summary>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        yield return ("in_proj_weight", InProjWeight);
        if (InProjBias is not null) yield return ("in_proj_bias", InProjBias);
    }

    /// <summary>"out_proj".</summary>
    public override IEnumerable<(string Name, Module<T> Module)> Children()
    {
        yield return ("out_proj", OutProj);
    }
}
