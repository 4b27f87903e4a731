using System.Numerics;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// nanoGPT's <c>GPT</c>: token embedding <c>transformer.wte</c> [V, C], position embedding <c>transformer.wpe</c>
/// [block, C], dropout, <c>transformer.h.{i}</c> (<see cref="GptBlock{T}"/>), final LayerNorm <c>transformer.ln_f</c>,
/// and <c>lm_head</c>, a Linear(C, V) without bias whose weight <b>is</b> wte's (weight tying: one tensor, so its gradient
/// is the sum of both uses and an optimizer sees it once). The state dict has both names, as PyTorch's;
/// <see cref="StateDicts.Save{T}"/> writes the matrix once.
/// <para>
/// Init (nanoGPT's <c>_init_weights</c>), drawn from the generator given, else <see cref="RandomState.Default"/>, in this
/// order: wte ~ N(0, 0.02²), wpe ~ N(0, 0.02²), then for each block c_attn.weight ~ N(0, 0.02²), attn.c_proj.weight ~
/// N(0, (0.02/√(2·layers))²), c_fc.weight ~ N(0, 0.02²), mlp.c_proj.weight ~ N(0, (0.02/√(2·layers))²), each row-major;
/// every bias 0, every LayerNorm weight 1 and bias 0.
/// </para>
/// </summary>
public sealed class Gpt<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ModuleDict<T> _transformer;
    private readonly TiedHead<T> _lmHead;
    private readonly Embedding<T> _wte;
    private readonly PositionalEmbedding<T> _wpe;
    private readonly GptBlock<T>[] _blocks;
    private readonly Module<T> _lnF;
    private readonly RandomState _rng;

    /// <summary>A model shaped by <paramref name="config"/>, initialised as the class summary says.</summary>
    public Gpt(GptConfig config, RandomState? rng = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _rng = rng ?? RandomState.Default;
        int c = config.Width;
        _wte = new Embedding<T>(config.VocabSize, c, new RandomState(0));   // drawn again below, from the model's generator
        _wpe = new PositionalEmbedding<T>(config.BlockSize, c, new RandomState(0));
        _blocks = new GptBlock<T>[config.Layers];
        for (int i = 0; i < _blocks.Length; i++) _blocks[i] = new GptBlock<T>(c, config.Heads, _rng, config.Dropout, config.Bias, InitScheme.Zeros);
        _lnF = config.Bias ? new LayerNorm<T>(c) : new BiasFreeLayerNorm<T>(c);
        _transformer = new ModuleDict<T>([new("wte", _wte), new("wpe", _wpe), new("drop", new Dropout<T>(config.Dropout, _rng)),
            new("h", new ModuleList<T>(_blocks)), new("ln_f", _lnF)]);
        _lmHead = new TiedHead<T>(_wte.Weight);
        double projStd = 0.02 / Math.Sqrt(2 * config.Layers);
        Init.Normal(_wte.Weight, _rng, 0, 0.02);
        Init.Normal(_wpe.Weight, _rng, 0, 0.02);
        foreach (var block in _blocks)
        {
            Init.Normal(block.Attention.CAttn.Weight, _rng, 0, 0.02);
            Init.Normal(block.Attention.CProj.Weight, _rng, 0, projStd);
            Init.Normal(block.Mlp.CFc.Weight, _rng, 0, 0.02);
            Init.Normal(block.Mlp.CProj.Weight, _rng, 0, projStd);
        }
    }

    /// <summary>The model's shape.</summary>
    public GptConfig Config { get; }
    /// <summary>The token embedding table wte [V, C], also the output head's weight.</summary>
    public Tensor<T> TokenEmbedding => _wte.Weight;
    /// <summary>The blocks, in order.</summary>
    public IReadOnlyList<GptBlock<T>> Blocks => _blocks;

    /// <summary>Logits [B, T, V] for token ids [B, T] given as whole numbers in [0, V) (T ≤ block size).</summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2) throw new NablaArgumentException(nameof(input), $"Gpt needs token ids [B, T], got shape {Shapes.Format([.. input.Shape])}");
        CheckLength(input.Shape[1], nameof(input));
        return Run(_wte.Forward(input), input);
    }

    /// <summary>Logits [B, T, V] for token ids <paramref name="ids"/> [B, T] in [0, V) (T ≤ block size); the training path.</summary>
    public Tensor<T> Forward(IndexTensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2) throw new NablaArgumentException(nameof(ids), $"Gpt needs token ids [B, T], got shape {Shapes.Format([.. ids.Shape])}");
        CheckLength(ids.Shape[1], nameof(ids));
        return Run(Tensor<T>.Embedding(_wte.Weight, ids), null);
    }

    private void CheckLength(int t, string parameter)
    {
        if (t > Config.BlockSize)
            throw new NablaArgumentException(parameter, $"Gpt: the sequence has {t} tokens but the block size is {Config.BlockSize}");
    }

    /// <summary>
    /// Everything after the token lookup: + positions, dropout, the blocks, ln_f, the tied head. The activations in
    /// between reach nobody but the recorded graph (no layer of the model keeps one), so unless a forward hook could hold
    /// one, they are handed to the engine's pool, to come back when Backward frees the graph: a steady training step then
    /// allocates almost nothing.
    /// </summary>
    private Tensor<T> Run(Tensor<T> tokens, Tensor<T>? input)
    {
        var x = _wpe.Call(tokens).Dropout(Config.Dropout, _rng, IsTraining);
        foreach (var block in _blocks) x = block.Call(x);
        var logits = _lmHead.Call(_lnF.Call(x));
        if (!AnyForwardHooks()) BufferPool<T>.PrivateGraph(logits, input);
        return logits;
    }

    private bool AnyForwardHooks()
    {
        foreach (var module in Modules())
            if (module.HasForwardHooks) return true;
        return false;
    }

    /// <summary>
    /// nanoGPT's <c>configure_optimizers</c> split: the parameters of rank ≥ 2 (matmul weights and the embeddings, the tied
    /// matrix once) to decay, and the rest (biases, LayerNorm weights) not, each in <see cref="Module{T}.NamedParameters"/> order.
    /// </summary>
    public (IReadOnlyList<Tensor<T>> Decay, IReadOnlyList<Tensor<T>> NoDecay) WeightDecaySplit()
    {
        List<Tensor<T>> decay = [], noDecay = [];
        foreach (var (_, p) in NamedParameters()) (p.Rank >= 2 ? decay : noDecay).Add(p);
        return (decay, noDecay);
    }

    /// <summary>
    /// nanoGPT's two AdamW parameter groups: <see cref="WeightDecaySplit"/>'s matrices with weight decay
    /// <paramref name="weightDecay"/>, then the rest with none; e.g.
    /// <c>new AdamW&lt;float&gt;(gpt.OptimizerGroups(0.1), learningRate: 6e-4, beta2: 0.95)</c>.
    /// </summary>
    public IReadOnlyList<ParamGroup<T>> OptimizerGroups(double weightDecay)
    {
        if (!(weightDecay >= 0)) throw new NablaArgumentException(nameof(weightDecay), $"Gpt.OptimizerGroups: weightDecay must be ≥ 0, got {weightDecay}");
        var (decay, noDecay) = WeightDecaySplit();
        return [new ParamGroup<T>(decay) { WeightDecay = weightDecay }, new ParamGroup<T>(noDecay) { WeightDecay = 0 }];
    }

    /// <summary>"transformer", then "lm_head".</summary>
    public override IEnumerable<(string Name, Module<T> Module)> Children()
    {
        yield return ("transformer", _transformer);
        yield return ("lm_head", _lmHead);
    }

    /// <summary>No own parameters.</summary>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters() => [];
}

/// <summary>The output head y = x·Wᵀ with W borrowed from the token embedding; printed as the Linear it replaces.</summary>
internal sealed class TiedHead<T>(Tensor<T> weight) : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override Tensor<T> Forward(Tensor<T> input) => Tensor<T>.Linear(input, weight, null);

    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        yield return ("weight", weight);
    }

    public override string ToString() => $"Linear(in_features={weight.Shape[1]}, out_features={weight.Shape[0]}, bias=False)";
}
