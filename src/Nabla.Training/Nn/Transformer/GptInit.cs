using System.Numerics;
using Nabla.Rng;

namespace Nabla.Nn;

/// <summary>
/// nanoGPT's <c>_init_weights</c> for a text model built from a description with <c>gptblock</c> layers
/// (<see cref="Architecture.BuildText{T}(string, int, int, RandomState)"/>), drawn from the generator given, layer by
/// layer in model order: embedding and position tables ~ N(0, 0.02²); in each block c_attn.weight ~ N(0, 0.02²),
/// attn.c_proj.weight ~ N(0, (0.02/√(2·blocks))²), c_fc.weight ~ N(0, 0.02²), mlp.c_proj.weight ~ N(0, (0.02/√(2·blocks))²);
/// any other Linear weight ~ N(0, 0.02²); every Linear bias 0, every LayerNorm weight 1 and bias 0. A recurrent layer
/// keeps PyTorch's U(±1/√H), drawn again in its place (nanoGPT has none). So "embedding C, posembed, gptblock H × n,
/// layernorm, linear tied" draws exactly what <c>bench/torch_gpt.py</c>'s <c>make_init</c> draws from the same seed.
/// </summary>
internal static class GptInit
{
    private const double Std = 0.02;

    /// <summary>Re-initialises <paramref name="network"/>'s parameters as the class summary says.</summary>
    public static void Apply<T>(Sequential<T> network, RandomState rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int blocks = network.Count(m => m is GptBlock<T>);
        double projStd = Std / Math.Sqrt(2.0 * Math.Max(1, blocks));
        foreach (var layer in network)
        {
            switch (layer)
            {
                case Embedding<T> e: Init.Normal(e.Weight, rng, 0, Std); break;
                case PositionalEmbedding<T> p: Init.Normal(p.Weight, rng, 0, Std); break;
                case GptBlock<T> b:
                    Norms(b);
                    Linear(b.Attention.CAttn, rng, Std);
                    Linear(b.Attention.CProj, rng, projStd);
                    Linear(b.Mlp.CFc, rng, Std);
                    Linear(b.Mlp.CProj, rng, projStd);
                    break;
                case Linear<T> l: Linear(l, rng, Std); break;
                case TiedLinear<T> t when t.Bias is { } bias: bias.Fill(T.Zero); break;
                case LayerNorm<T>: Norms(layer); break;
                case RecurrentModule<T> r:
                    double bound = 1 / Math.Sqrt(r.HiddenSize);
                    foreach (var (_, p) in r.NamedParameters()) Init.Uniform(p, rng, -bound, bound);
                    break;
            }
        }
    }

    private static void Linear<T>(Linear<T> l, RandomState rng, double std) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Init.Normal(l.Weight, rng, 0, std);
        if (l.Bias is { } b) b.Fill(T.Zero);
    }

    // Every LayerNorm in the module's tree back to weight 1, bias 0 (they start so; this keeps the rule in one place).
    private static void Norms<T>(Module<T> module) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (module is LayerNorm<T> or BiasFreeLayerNorm<T>)
            foreach (var (name, p) in module.NamedParameters()) p.Fill(name == "weight" ? T.One : T.Zero);
        foreach (var (_, child) in module.Children())
            if (child is LayerNorm<T> or BiasFreeLayerNorm<T>) Norms(child);
    }
}
