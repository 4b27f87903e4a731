using System.Numerics;
using Nabla.Losses;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// W11, a character-level LSTM language model, the counterpart of bench/peers/torch_lstm.py (its docstring is the
/// recipe): token embedding V → 256, a 2-layer LSTM of width 256 (batch first, zero initial states), Linear 256 → V;
/// mean cross-entropy over all 32·64 positions of batches drawn as W10's; Adam lr 2e-3 (PyTorch's other defaults);
/// 60 steps, steps 11–60 timed. Initial weights from RandomState(0) in the peer's order: embedding N(0, 1), then per
/// layer weight_ih, weight_hh, bias_ih, bias_hh from U(±1/16), then the Linear's weight [V, 256] and bias from U(±1/16).
/// </summary>
internal static class LstmLmWorkload
{
    const int Context = 64, Embed = 256, Hidden = 256, Layers = 2, Batch = 32;
    const double LearningRate = 2e-3;

    public static int Run(string[] args, TextWriter output) => CharCorpus.Run(args, output, 60, Run<float>, Run<double>);

    static int Run<T>(string dtype, int threads, int steps, string corpus, TextWriter output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (data, vocab) = CharCorpus.Load(corpus);
        var (xs, ys) = CharCorpus.Batches(data, steps, Batch, Context);
        var embedding = new Embedding<T>(vocab, Embed, new RandomState(0));
        var lstm = new LSTM<T>(Embed, Hidden, new RandomState(0), numLayers: Layers, batchFirst: true);
        var head = new Linear<T>(Hidden, vocab, new RandomState(0));
        List<Tensor<T>> parameters = [embedding.Weight, .. lstm.Parameters(), .. head.Parameters()];
        Initialise(parameters);
        var opt = new Adam<T>(parameters, LearningRate);
        long count = 0;
        foreach (var p in parameters) count += p.ElementCount;

        double Step(int s)
        {
            var h = lstm.Call(Tensor<T>.Embedding(embedding.Weight, xs[s]));
            var loss = Loss.CrossEntropy(head.Call(h).Reshape(Batch * Context, vocab), ys[s]);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
            return double.CreateChecked(loss.ToScalar());
        }
        return CharCorpus.Train($"nabla_lstm_{dtype}", dtype, threads, steps, Batch * Context, count, Step, output);
    }

    /// <summary>
    /// The peer's draws, from one RandomState(0) in parameter order (embedding, weight_ih_l0, weight_hh_l0, bias_ih_l0,
    /// bias_hh_l0, the same for layer 1, head weight, head bias): N(0, 1) for the embedding, U(±1/√256) for the rest,
    /// each row-major in float64, then cast.
    /// </summary>
    static void Initialise<T>(List<Tensor<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rs = new RandomState(0);
        double bound = 1 / Math.Sqrt(Hidden);
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            int[] shape = [.. p.Shape];
            var values = i == 0 ? rs.Normal(0, 1, shape) : rs.Uniform(-bound, bound, shape);
            p.CopyFrom(new Tensor<double>(values, shape).To<T>());
        }
    }
}
