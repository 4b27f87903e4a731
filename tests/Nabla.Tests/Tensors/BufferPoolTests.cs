using Nabla.Losses;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// When the pool takes arrays back (the ownership rules at the top of BufferPool.cs): the activations between built-in
/// layers of a Sequential at once under NoGrad, only after Backward freed the graph when recording, never while a
/// retained graph holds them; and reused arrays never change a value (compared with the pool off, with NaN poison on).
/// </summary>
public class BufferPoolTests : PoisonedPoolTests
{
    static Sequential<double> Net() => Mlp.Create<double>([5, 7, 6, 3], "tanh", new RandomState(3));

    static Tensor<double> Input() => new(new RandomState(8).Normal(0, 1, 4, 5), 4, 5);

    [Fact]
    public void Under_NoGrad_the_two_hidden_activations_go_back_at_once()
    {
        var net = Net();
        long before = BufferPool<double>.Returned;
        using (NoGrad.Scope()) net.Forward(Input());
        Assert.Equal(2, BufferPool<double>.Returned - before);
    }

    [Fact]
    public void When_recording_nothing_goes_back_until_backward_frees_the_graph()
    {
        var net = Net();
        var y = net.Forward(Input());
        long before = BufferPool<double>.Returned;
        var loss = y.Sum();
        loss.Backward(retainGraph: true);
        long afterRetained = BufferPool<double>.Returned;
        var first = net.Parameters().Select(p => p.Grad!.ToArray()).ToList();
        loss.Backward();
        long afterFreed = BufferPool<double>.Returned;
        // The retained pass returns only gradients, the freeing pass the same gradients and the two activations.
        Assert.Equal(afterRetained - before + 2, afterFreed - afterRetained);
        var second = net.Parameters().Select(p => p.Grad!.ToArray()).ToList();
        // The second pass added the same gradient again (within the rounding of adding inside the matrix product).
        for (int i = 0; i < first.Count; i++)
            for (int j = 0; j < first[i].Length; j++) Assert.Equal(2 * first[i][j], second[i][j], 1e-12);
    }

    [Fact]
    public void Training_steps_with_the_pool_match_the_pool_off_bit_for_bit()
    {
        var on = Train();
        BufferPool<double>.Disabled = true;
        var off = Train();
        Assert.Equal(off.Select(BitConverter.DoubleToInt64Bits), on.Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>Ten SGD steps plus a NoGrad evaluation after each; the losses, evaluations and final weights.</summary>
    static List<double> Train()
    {
        var target = new Tensor<double>(new RandomState(2).Normal(0, 1, 4, 3), 4, 3);
        return TrainingTrace(Net(), Input(), y => Loss.Mse(y, target), 0.1, 10);
    }
}
