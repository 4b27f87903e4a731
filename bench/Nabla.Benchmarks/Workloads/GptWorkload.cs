using System.Numerics;
using Nabla.Losses;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// W10, a tiny character-level GPT, the counterpart of /work/shared/bench/torch_gpt.py (its docstring is the recipe):
/// <see cref="Gpt{T}"/> with context 64, width 128, 4 heads, 4 layers, lm_head tied to wte, nanoGPT's initialisation
/// drawn from RandomState(0) in the script's order (wte, wpe, then per block c_attn, attn.c_proj, c_fc, mlp.c_proj);
/// batches of 32 from RandomState(1); mean cross-entropy over all 32·64 positions; AdamW lr 1e-3, betas (0.9, 0.99),
/// eps 1e-8, weight decay 0.1 on the parameters of rank ≥ 2 and 0 on the rest; global-norm clipping at 1.0; 60 steps,
/// steps 11–60 timed (forward, backward, clipping, optimizer step).
/// </summary>
internal static class GptWorkload
{
    const int Context = 64, Width = 128, Heads = 4, Layers = 4, Batch = 32;

    public static int Run(string[] args, TextWriter output) => CharCorpus.Run(args, output, 60, Run<float>, Run<double>);

    static int Run<T>(string dtype, int threads, int steps, string corpus, TextWriter output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (data, vocab) = CharCorpus.Load(corpus);
        var (xs, ys) = CharCorpus.Batches(data, steps, Batch, Context);
        var model = new Gpt<T>(new GptConfig(vocab, Context, Layers, Heads, Width), new RandomState(0));
        var parameters = model.Parameters();
        var opt = new AdamW<T>(model.OptimizerGroups(weightDecay: 0.1), learningRate: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8);
        long count = 0;
        foreach (var p in parameters) count += p.ElementCount;

        double Step(int s)
        {
            var logits = model.Forward(xs[s]);
            var loss = Loss.CrossEntropy(logits.Reshape(Batch * Context, vocab), ys[s]);
            opt.ZeroGrad();
            loss.Backward();
            GradClip.ClipGradNorm(parameters, 1.0);
            opt.Step();
            return double.CreateChecked(loss.ToScalar());
        }
        return CharCorpus.Train($"nabla_gpt_{dtype}", dtype, threads, steps, Batch * Context, count, Step, output);
    }
}
