using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// nanoGPT's transformer <c>Block</c>, pre-norm: x ← x + attn(ln_1(x)), then x ← x + mlp(ln_2(x)), for x [B, T, C];
/// the attention is causal (<see cref="CausalSelfAttention{T}"/>) and the MLP uses the exact GELU
/// (<see cref="GptMlp{T}"/>). State-dict names are nanoGPT's: <c>ln_1</c>, <c>attn.c_attn</c>, <c>attn.c_proj</c>,
/// <c>ln_2</c>, <c>mlp.c_fc</c>, <c>mlp.c_proj</c> (each <c>.weight</c> and, with bias, <c>.bias</c>). LayerNorms start
/// at weight 1, bias 0 (eps 1e-5); with <c>bias: false</c> neither the LayerNorms nor the Linears have a bias.
/// </summary>
public sealed class GptBlock<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Module<T> _ln1, _ln2;
    private readonly CausalSelfAttention<T> _attn;
    private readonly GptMlp<T> _mlp;

    /// <summary>
    /// A block of width <paramref name="width"/> with <paramref name="heads"/> heads. The Linears get PyTorch's default
    /// U(±1/√fan_in) from <paramref name="rng"/> (else <see cref="RandomState.Default"/>), in the order c_attn, c_proj
    /// (attention), c_fc, c_proj (MLP), each weight then bias, as PyTorch builds the same module before any re-init;
    /// <c>Gpt</c> re-draws them with nanoGPT's scheme. <paramref name="dropout"/> applies to the attention
    /// weights and both residual branches in training mode.
    /// </summary>
    public GptBlock(int width, int heads, RandomState? rng = null, double dropout = 0, bool bias = true)
        : this(width, heads, rng ?? RandomState.Default, dropout, bias, InitScheme.PyTorchDefault) { }

    /// <summary>The block with its Linears initialised by <paramref name="init"/> (Gpt passes Zeros, then draws its own).</summary>
    internal GptBlock(int width, int heads, RandomState rng, double dropout, bool bias, InitScheme init)
    {
        _ln1 = Norm(width, bias);
        _attn = new CausalSelfAttention<T>(width, heads, rng, dropout, bias, init);
        _ln2 = Norm(width, bias);
        _mlp = new GptMlp<T>(width, rng, dropout, bias, init);
    }

    private static Module<T> Norm(int width, bool bias) => bias ? new LayerNorm<T>(width) : new BiasFreeLayerNorm<T>(width);

    /// <summary>The model width C.</summary>
    public int Width => _attn.Width;
    /// <summary>The attention, <c>attn</c>.</summary>
    public CausalSelfAttention<T> Attention => _attn;
    /// <summary>The MLP, <c>mlp</c>.</summary>
    public GptMlp<T> Mlp => _mlp;

    /// <summary>x + attn(ln_1(x)), then that + mlp(ln_2(that)), for x [B, T, C]; the result is [B, T, C].</summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[2] != Width)
            throw new NablaArgumentException(nameof(input), $"GptBlock needs input [B, T, {Width}], got {Shapes.Format([.. input.Shape])}");
        var x = input + _attn.Call(_ln1.Call(input));
        return x + _mlp.Call(_ln2.Call(x));
    }

    /// <summary>"ln_1", "attn", "ln_2", "mlp".</summary>
    public override IEnumerable<(string Name, Module<T> Module)> Children()
    {
        yield return ("ln_1", _ln1);
        yield return ("attn", _attn);
        yield return ("ln_2", _ln2);
        yield return ("mlp", _mlp);
    }

    /// <summary>No own parameters.</summary>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters() => [];
}
