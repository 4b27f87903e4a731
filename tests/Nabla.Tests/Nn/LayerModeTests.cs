using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

/// <summary>Training and eval mode, buffers in the state dict, and the layers' argument errors.</summary>
public class LayerModeTests
{
    [Fact]
    public void Eval_and_train_reach_every_nested_module()
    {
        var inner = new Sequential<double>(new Dropout<double>(0.5, new RandomState(1)), new BatchNorm1d<double>(2));
        var net = new Sequential<double>(new Linear<double>(2, 2), inner);
        net.Eval();
        Assert.False(inner[0].IsTraining);
        Assert.False(inner[1].IsTraining);
        net.Train();
        Assert.True(inner[1].IsTraining);
    }

    [Fact]
    public void Batch_norm_moves_running_statistics_only_in_training_and_uses_them_in_eval()
    {
        var bn = new BatchNorm1d<double>(2, momentum: 0.5);
        var x = new Tensor<double>([1, 10, 3, 20], 2, 2);
        bn.Forward(x);
        Assert.Equal([1.0, 7.5], bn.RunningMean!.ToArray());   // 0.5·0 + 0.5·mean
        Assert.Equal([1.5, 25.5], bn.RunningVar!.ToArray());   // 0.5·1 + 0.5·unbiased var (2 and 50)
        Assert.Equal(1.0, bn.NumBatchesTracked!.ToScalar());
        bn.Eval();
        var y = bn.Forward(x).ToArray();
        Assert.Equal(1.0, bn.NumBatchesTracked.ToScalar());
        Assert.Equal((1 - 1.0) / Math.Sqrt(1.5 + 1e-5), y[0], 1e-12);
        Assert.Equal((20 - 7.5) / Math.Sqrt(25.5 + 1e-5), y[3], 1e-12);
    }

    [Fact]
    public void Batch_norm_without_momentum_keeps_the_cumulative_average()
    {
        var bn = new BatchNorm1d<double>(1, momentum: null, affine: false);
        bn.Forward(new Tensor<double>([2, 4], 2, 1));
        bn.Forward(new Tensor<double>([6, 8], 2, 1));
        Assert.Equal(5.0, bn.RunningMean![0], 1e-12);   // (3 + 7)/2
    }

    [Fact]
    public void State_dict_holds_buffers_after_parameters_and_refuses_a_missing_buffer()
    {
        var net = new Sequential<float>(new Conv2d<float>(1, 2, 3), new BatchNorm2d<float>(2));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"], net.StateDict().Keys);
        Assert.Equal(4, net.Parameters().Count);
        var state = net.StateDict();
        state.Remove("1.running_var");
        var e = Assert.Throws<NablaException>(() => net.LoadStateDict(state));
        Assert.Contains("\"1.running_var\"", e.Message);
    }

    [Fact]
    public void Layers_name_the_expected_input_shape()
    {
        var e = Assert.Throws<NablaException>(() => new BatchNorm2d<double>(3).Forward(Tensor<double>.Zeros(2, 3)));
        Assert.Contains("[N, 3, H, W]", e.Message);
        e = Assert.Throws<NablaException>(() => new Conv2d<double>(4, 6, 3, groups: 4));
        Assert.Contains("groups = 4", e.Message);
        e = Assert.Throws<NablaException>(() => new Embedding<double>(3, 2).Forward(new Tensor<double>([0, 1.5], 2)));
        Assert.Contains("position 1 is 1.5", e.Message);
        Assert.Equal([2, 12], new Flatten<double>().Forward(Tensor<double>.Zeros(2, 3, 2, 2)).Shape);
    }
}
