using Nabla.Losses;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

public class TrainingTests
{
    [Fact]
    public void An_mlp_learns_xor_with_adam()
    {
        var x = Tensor.FromArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var y = Tensor.FromArray(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });
        var net = Mlp.Create<double>([2, 8, 1], "tanh", new RandomState(0));
        var opt = new Adam<double>(net.Parameters(), 0.05);
        double loss = double.NaN;
        for (int step = 0; step < 500; step++)
        {
            opt.ZeroGrad();
            var l = Loss.BinaryCrossEntropyWithLogits(net.Forward(x), y);
            l.Backward();
            opt.Step();
            loss = l.ToScalar();
        }
        Assert.True(loss < 0.02, $"loss after 500 Adam steps: {loss}");
        using (NoGrad.Scope())
            Assert.Equal(new[] { false, true, true, false }, net.Forward(x).ToArray().Select(v => v > 0));
    }

    [Fact]
    public void A_classifier_learns_with_sgd_momentum_and_cross_entropy_in_float()
    {
        // three Gaussian blobs around (±2, 0) and (0, 2)
        var rng = new RandomState(5);
        var noise = rng.Normal(0, 0.5, 60, 2);
        var data = new float[120];
        var labels = new int[60];
        float[][] centers = [[-2, 0], [2, 0], [0, 2]];
        for (int i = 0; i < 60; i++)
        {
            labels[i] = i % 3;
            data[2 * i] = centers[i % 3][0] + (float)noise[2 * i];
            data[2 * i + 1] = centers[i % 3][1] + (float)noise[2 * i + 1];
        }
        var x = new Tensor<float>(data, 60, 2);
        var net = Mlp.Create<float>([2, 16, 3], "relu", new RandomState(1));
        var opt = new Sgd<float>(net.Parameters(), 0.1, momentum: 0.9);
        var schedule = new CosineSchedule(0.1, 100);
        for (int step = 0; step < 100; step++)
        {
            opt.LearningRate = schedule.At(step);
            opt.ZeroGrad();
            Loss.CrossEntropy(net.Forward(x), labels).Backward();
            opt.Step();
        }
        using (NoGrad.Scope())
        {
            var predicted = net.Forward(x).ArgMax(1).ToArray();
            int correct = predicted.Where((p, i) => (int)p == labels[i]).Count();
            Assert.True(correct >= 57, $"{correct} of 60 correct");
        }
    }

    [Fact]
    public void One_training_step_allocates_little_beyond_activations_and_their_gradients()
    {
        const int batch = 32;
        var net = Mlp.Create<float>([784, 512, 256, 10], "relu", new RandomState(0));
        var x = new Tensor<double>(new RandomState(1).RandomSample(batch, 784), batch, 784).To<float>();
        var labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
        var opt = new Adam<float>(net.Parameters());
        void Step()
        {
            opt.ZeroGrad();
            Loss.CrossEntropy(net.Forward(x), labels).Backward();
            opt.Step();
        }
        Step();
        long allocated = AllocationMeasure.Least(Step);
        // Unavoidable: each activation (linear out, relu out: 512, 512, 256, 256, 10 per row) and one gradient of each.
        long activations = batch * (512 + 512 + 256 + 256 + 10) * sizeof(float);
        Assert.True(allocated < 2 * activations + 16_384, $"{allocated} bytes allocated in one step; activations and their gradients take {2 * activations}");
    }
}
