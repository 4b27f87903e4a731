using Nabla.Losses;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// The fast paths a convolutional network's training step takes: the float 2×2 max-pool kernel (eight windows per
/// vector, backward finding each maximum again) against the window definition with ties and NaN; conv + activation and
/// pooling + flatten fused by Sequential against the same layers applied one by one, bit for bit; the activations
/// between conv and pooling layers going back to the pool without changing a value; and a steady-state step that
/// allocates no activation.
/// </summary>
public class ConvFusionTests
{
    [Theory]
    [InlineData(24, 24)] // LeNet's first pooling: three runs of four windows per row
    [InlineData(8, 8)]   // LeNet's second: one run per row, two rows per vector
    [InlineData(13, 10)] // odd height, five windows per row: the second run overlaps the first
    [InlineData(9, 17)]  // odd width
    [InlineData(6, 6)]   // three windows per row: the scalar path
    public void Float_max_pool_matches_the_window_definition_with_ties_and_NaN(int h, int w)
    {
        var rng = new RandomState((uint)(h * 31 + w));
        var values = rng.StandardNormal(3, 2, h, w).Select(v => (float)v).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            if (i % 3 == 0) values[i] = MathF.Round(values[i]);     // many equal values, as after a ReLU
            if (i % 5 == 0) values[i] = Math.Max(values[i], 0f);
        }
        values[7] = float.NaN;
        values[values.Length / 2] = float.NaN;
        values[values.Length / 2 + w] = float.NaN;                 // two NaNs in one window
        var x = new Tensor<float>(values, 3, 2, h, w).RequireGrad();
        var y = x.MaxPool2d(2);
        int oh = h / 2, ow = w / 2;
        var dy = rng.StandardNormal(3, 2, oh, ow).Select(v => (float)v).ToArray();
        y.Backward(new Tensor<float>(dy, 3, 2, oh, ow));
        var expectedY = new float[dy.Length];
        var expectedDx = new float[values.Length];
        for (int p = 0; p < 6; p++)
            for (int a = 0; a < oh; a++)
                for (int b = 0; b < ow; b++)
                {
                    int arg = ConvolutionGradientTests.WindowChoice(i => values[p * h * w + i], w, a, b);
                    int o = (p * oh + a) * ow + b;
                    expectedY[o] = values[p * h * w + arg];
                    expectedDx[p * h * w + arg] += dy[o];
                }
        Assert.Equal(expectedY, y.ToArray());
        Assert.Equal(expectedDx, x.Grad!.ToArray());
        // The index-returning variant (scalar path) agrees with the vector path's choice.
        var (y2, _) = x.Detach().MaxPool2dWithIndices(2);
        Assert.Equal(expectedY, y2.ToArray());
    }

    [Fact]
    public void Fused_conv_activation_is_bit_identical_to_conv_then_activation()
    {
        var rng = new RandomState(12);
        var x = ConvolutionTests.Random(rng, 13, 6, 12, 12).To<float>();
        var w = ConvolutionTests.Random(rng, 16, 6, 5, 5).To<float>() * 0.2f;
        var b = ConvolutionTests.Random(rng, 16).To<float>();
        var dy = ConvolutionTests.Random(rng, 13, 16, 8, 8).To<float>();
        foreach (var (fused, plain) in new (Func<Tensor<float>, Tensor<float>, Tensor<float>, Tensor<float>>, Func<Tensor<float>, Tensor<float>>)[]
        {
            ((a, c, d) => Tensor<float>.Conv2dActivation<Nabla.Ops.Relu>(a, c, d), t => t.Relu()),
            ((a, c, d) => Tensor<float>.Conv2dActivation<Nabla.Ops.Tanh>(a, c, d), t => t.Tanh()),
            ((a, c, d) => Tensor<float>.Conv2dActivation<Nabla.Ops.Sigmoid>(a, c, d), t => t.Sigmoid()),
        })
        {
            var (y1, g1) = Run(p => fused(p[0], p[1], p[2]));
            var (y2, g2) = Run(p => plain(Tensor<float>.Conv2d(p[0], p[1], p[2])));
            Assert.Equal(y2, y1);
            for (int i = 0; i < 3; i++) Assert.Equal(g2[i], g1[i]);
        }

        (float[] Y, float[][] Grads) Run(Func<Tensor<float>[], Tensor<float>> f)
        {
            Tensor<float>[] p = [x.Detach().RequireGrad(), w.Detach().RequireGrad(), b.Detach().RequireGrad()];
            var y = f(p);
            y.Backward(dy);
            return (y.ToArray(), [.. p.Select(t => t.Grad!.ToArray())]);
        }
    }

    static Sequential<T> LeNet<T>(uint seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new RandomState(seed);
        return new Sequential<T>(
            new Conv2d<T>(1, 6, 5, rng), new ReLU<T>(), new MaxPool2d<T>(2),
            new Conv2d<T>(6, 16, 5, rng), new Tanh<T>(), new AvgPool2d<T>(2), new Flatten<T>(),
            new Linear<T>(256, 32, rng), new ReLU<T>(), new Linear<T>(32, 10, rng));
    }

    [Fact]
    public void Sequential_fusions_are_bit_identical_to_the_layers_one_by_one()
    {
        var net = LeNet<float>(5);
        var x = ConvolutionTests.Random(new RandomState(6), 9, 1, 28, 28).To<float>();
        var labels = Enumerable.Range(0, 9).Select(i => i % 10).ToArray();
        float[] Step(Func<Tensor<float>, Tensor<float>> forward)
        {
            foreach (var p in net.Parameters()) p.Grad = null;
            var loss = Tensor<float>.CrossEntropy(forward(x), labels);
            loss.Backward();
            return [loss.ToScalar(), .. net.Parameters().SelectMany(p => p.Grad!.ToArray())];
        }
        var fused = Step(net.Forward);
        var oneByOne = Step(input => net.Aggregate(input, (h, layer) => layer.Forward(h)));
        Assert.Equal(oneByOne, fused);
    }

    [Fact]
    public void Conv_net_training_with_the_pool_matches_the_pool_off_bit_for_bit()
    {
        // NaN poison in returned arrays: a conv or pooling activation returned while a rule still reads it changes a value.
        BufferPool<double>.MinLength = 1;
        BufferPool<double>.Poison = true;
        try
        {
            var on = Train();
            BufferPool<double>.Disabled = true;
            var off = Train();
            Assert.Equal(off.Select(BitConverter.DoubleToInt64Bits), on.Select(BitConverter.DoubleToInt64Bits));
        }
        finally
        {
            BufferPool<double>.MinLength = 0;
            BufferPool<double>.Poison = false;
            BufferPool<double>.Disabled = false;
        }

        static List<double> Train()
        {
            int[] labels = [1, 7, 3, 0];
            return PoisonedPoolTests.TrainingTrace(LeNet<double>(3), ConvolutionTests.Random(new RandomState(4), 4, 1, 28, 28),
                y => Tensor<double>.CrossEntropy(y, labels), 0.05, 4);
        }
    }

    [Fact]
    public void A_steady_state_conv_net_step_allocates_no_activation()
    {
        // Batch 16: the first convolution's output alone is 16·6·24·24 floats = 221 184 bytes. Before the pool took conv
        // and pooling outputs a step allocated about 0.8 MB here; graph nodes and closures are a few KB.
        var net = LeNet<float>(8);
        var sgd = new Sgd<float>(net.Parameters(), 0.01);
        var x = ConvolutionTests.Random(new RandomState(9), 16, 1, 28, 28).To<float>();
        var labels = Enumerable.Range(0, 16).Select(i => i % 10).ToArray();
        void Step()
        {
            sgd.ZeroGrad();
            var loss = Tensor<float>.CrossEntropy(net.Forward(x), labels);
            loss.Backward();
            sgd.Step();
        }
        for (int i = 0; i < 5; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;
        Assert.True(perStep < 64_000, $"a steady-state step allocated {perStep} bytes on the calling thread");
    }
}
