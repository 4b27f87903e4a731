using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// nanoGPT's <c>CausalSelfAttention</c>: <c>c_attn</c> = Linear(C, 3C) gives q|k|v side by side on the last axis, each
/// split into <see cref="Heads"/> heads of C / heads features (head h owns features h·hs … h·hs + hs − 1), causal
/// softmax(q·kᵀ/√hs)·v per head, heads side by side again, then <c>c_proj</c> = Linear(C, C) and residual dropout.
/// Without attention dropout (p = 0 or eval mode) the heads are read in place from the [B, T, 3C] projection by the
/// fused packed <see cref="Tensor{T}.ScaledDotProductAttention(Tensor{T}, int, bool, double?)"/>; with dropout in
/// training the probabilities must exist to be dropped, so the plain composition runs (mask, softmax, dropout, ·v).
/// </summary>
public sealed class CausalSelfAttention<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Linear<T> _cAttn, _cProj;
    private readonly RandomState _rng;

    /// <summary>
    /// Attention over <paramref name="width"/> features in <paramref name="heads"/> heads; both projections initialised
    /// with <paramref name="init"/> from <paramref name="rng"/> (c_attn's weight and bias, then c_proj's).
    /// </summary>
    public CausalSelfAttention(int width, int heads, RandomState rng, double dropout = 0, bool bias = true, InitScheme init = InitScheme.PyTorchDefault)
    {
        ArgumentNullException.ThrowIfNull(rng);
        NablaArgumentException.Check(width, width >= 1, "CausalSelfAttention", nameof(width), "≥ 1");
        if (heads < 1 || width % heads != 0)
            throw new NablaArgumentException(nameof(heads), $"CausalSelfAttention: width {width} must split into heads = {heads} equal parts (heads ≥ 1 dividing width)");
        if (!(dropout >= 0 && dropout <= 1))
            throw new NablaArgumentException(nameof(dropout), $"CausalSelfAttention: dropout must be in [0, 1], got {dropout}");
        (Width, Heads, DropoutP, _rng) = (width, heads, dropout, rng);
        _cAttn = new Linear<T>(width, 3 * width, rng, init, bias);
        _cProj = new Linear<T>(width, width, rng, init, bias);
    }

    /// <summary>The model width C.</summary>
    public int Width { get; }
    /// <summary>The number of heads.</summary>
    public int Heads { get; }
    /// <summary>The dropout probability on the attention weights and on the output, in training mode.</summary>
    public double DropoutP { get; }
    /// <summary><c>c_attn</c>, the q|k|v projection C → 3C.</summary>
    public Linear<T> CAttn => _cAttn;
    /// <summary><c>c_proj</c>, the output projection C → C.</summary>
    public Linear<T> CProj => _cProj;

    /// <summary>
    /// y = dropout(c_proj(attention(c_attn(x)))) for x [B, T, C], causal (position t sees positions ≤ t); y is [B, T, C].
    /// </summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[2] != Width)
            throw new NablaArgumentException(nameof(input), $"CausalSelfAttention needs input [B, T, {Width}], got {Shapes.Format([.. input.Shape])}");
        var qkv = _cAttn.Call(input);
        bool drop = IsTraining && DropoutP > 0;
        var y = drop ? Composed(qkv) : Tensor<T>.ScaledDotProductAttention(qkv, Heads, causal: true);
        return _cProj.Call(y).Dropout(DropoutP, _rng, IsTraining);
    }

    /// <summary>The same attention as separate ops, with dropout on the probabilities (nanoGPT's non-flash path).</summary>
    private Tensor<T> Composed(Tensor<T> qkv)
    {
        int b = qkv.Shape[0], t = qkv.Shape[1], hs = Width / Heads;
        Tensor<T> Head(int part) => qkv.Slice(2, part * Width, (part + 1) * Width).Reshape(b, t, Heads, hs).Transpose(1, 2);
        var (q, k, v) = (Head(0), Head(1), Head(2));
        var scores = q.MatMul(k.Transpose(2, 3)) * T.CreateChecked(1 / Math.Sqrt(hs));
        var p = scores.MaskedFill(Tensor<T>.CausalMask(t), T.NegativeInfinity).Softmax(-1).Dropout(DropoutP, _rng, IsTraining);
        return p.MatMul(v).Transpose(1, 2).Reshape(b, t, Width);
    }

    /// <summary>"c_attn", then "c_proj".</summary>
    public override IEnumerable<(string Name, Module<T> Module)> Children()
    {
        yield return ("c_attn", _cAttn);
        yield return ("c_proj", _cProj);
    }

    /// <summary>No own parameters: they live in the two projections.</summary>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters() => [];
}
