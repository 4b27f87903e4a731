using Nabla.Losses;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Tests.Tensors;

namespace Nabla.Tests.Kernels;

/// <summary>
/// A GPT's forward pass hands its activations to the pool (BufferPool.PrivateGraph) and its LayerNorm and attention
/// nodes give their workspaces back when freed. With every array pooled and returned arrays poisoned with NaN, an array
/// handed back while a rule still reads it changes a loss or a gradient; the reference is the same run with the pool off.
/// </summary>
public sealed class GptActivationPoolTests : PoisonedPoolTests
{
    const int Vocab = 11, Context = 8, Batch = 3;

    static Gpt<double> Model() => new(new GptConfig(Vocab, Context, Layers: 2, Heads: 2, Width: 16), new RandomState(0));

    static (Tensor<double> Ids, IndexTensor Targets) Batch_(int step)
    {
        var x = new double[Batch * Context];
        var y = new int[Batch * Context];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i * 7 + step * 3) % Vocab;
            y[i] = (i * 5 + step + 1) % Vocab;
        }
        return (new Tensor<double>(x, [Batch, Context]), IndexTensor.FromArray(y, Batch * Context));
    }

    /// <summary>The losses, every gradient after each step, and the final weights of a few AdamW steps.</summary>
    static List<double> Trace(int steps)
    {
        var model = Model();
        var opt = new AdamW<double>(model.OptimizerGroups(0.1), learningRate: 1e-2);
        var seen = new List<double>();
        for (int s = 0; s < steps; s++)
        {
            var (x, y) = Batch_(s);
            var loss = Loss.CrossEntropy(model.Forward(x).Reshape(Batch * Context, Vocab), y);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
            seen.Add(loss.ToScalar());
            foreach (var p in model.Parameters()) seen.AddRange(p.Grad?.ToArray() ?? []);
        }
        foreach (var p in model.Parameters()) seen.AddRange(p.ToArray());
        return seen;
    }

    [Fact]
    public void Pooled_training_steps_equal_unpooled_ones_bit_for_bit()
    {
        BufferPool<double>.Disabled = true;
        var reference = Trace(4);
        BufferPool<double>.Disabled = false;
        var pooled = Trace(4);
        Assert.Equal(reference.Count, pooled.Count);
        for (int i = 0; i < reference.Count; i++)
            Assert.True(reference[i].Equals(pooled[i]), $"value {i} of the trace: unpooled {reference[i]:R}, pooled {pooled[i]:R}");
    }

    [Fact]
    public void A_steady_step_allocates_a_small_part_of_what_it_allocates_without_the_pool()
    {
        long Step()
        {
            var model = Model();
            var opt = new AdamW<double>(model.OptimizerGroups(0.1), learningRate: 1e-2);
            var (x, y) = Batch_(0);
            var ids = IndexTensor.FromArray([.. x.ToArray().Select(v => (int)v)], Batch, Context);   // the training path
            void Run()
            {
                var loss = Loss.CrossEntropy(model.Forward(ids).Reshape(Batch * Context, Vocab), y);
                opt.ZeroGrad();
                loss.Backward();
                opt.Step();
            }
            Run();
            Run();   // the pool now holds every length a step uses
            return AllocationMeasure.Least(Run);
        }
        BufferPool<double>.Disabled = true;
        long unpooled = Step();
        BufferPool<double>.Disabled = false;
        long pooled = Step();
        // Without PrivateGraph only the gradients come back, about half of the arrays; with it, all but the bookkeeping.
        Assert.True(pooled * 4 < unpooled, $"a pooled step allocated {pooled} bytes, an unpooled one {unpooled}");
    }
}
