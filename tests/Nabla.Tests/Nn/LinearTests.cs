using Nabla.Checking;
using Nabla.Nn;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

public class LinearTests
{
    private static Tensor<double> T2(double[,] v) => Tensor<double>.FromArray(v);

    [Fact]
    public void Forward_is_x_times_W_transposed_plus_b()
    {
        var x = T2(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var w = T2(new double[,] { { 1, 0, -1 }, { 2, 1, 0 } });
        var b = Tensor.FromArray(new[] { 0.5, -1 });
        var y = Tensor<double>.Linear(x, w, b);
        // row 0: 1 − 3 + 0.5 = −1.5, 2 + 2 − 1 = 3; row 1: 4 − 6 + 0.5 = −1.5, 8 + 5 − 1 = 12
        Assert.Equal(new[] { 2, 2 }, y.Shape);
        Assert.Equal(new[] { -1.5, 3, -1.5, 12 }, y.ToArray());
    }

    [Fact]
    public void Backward_gives_dX_dY_W_and_dW_dYt_X_and_db_column_sums()
    {
        var x = T2(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }).RequireGrad();
        var w = T2(new double[,] { { 1, 0, -1 }, { 2, 1, 0 } }).RequireGrad();
        var b = Tensor.FromArray(new[] { 0.5, -1 }).RequireGrad();
        var dy = T2(new double[,] { { 1, 2 }, { -1, 3 } });
        Tensor<double>.Linear(x, w, b).Backward(dy);
        // dX = dY·W: [1+4, 0+2, −1+0] = [5, 2, −1]; [−1+6, 3, 1] = [5, 3, 1]
        Assert.Equal(new double[] { 5, 2, -1, 5, 3, 1 }, x.Grad!.ToArray());
        // dW = dYᵀ·X: [1·1 − 1·4, 1·2 − 5, 3 − 6] = [−3, −3, −3]; [2 + 12, 4 + 15, 6 + 18] = [14, 19, 24]
        Assert.Equal(new double[] { -3, -3, -3, 14, 19, 24 }, w.Grad!.ToArray());
        Assert.Equal(new double[] { 0, 5 }, b.Grad!.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gradients_match_central_differences(bool bias)
    {
        var rng = new Random(3);
        Tensor<double> R(params int[] shape) => new(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), shape);
        Tensor<double>[] inputs = bias ? [R(5, 4), R(3, 4), R(3)] : [R(5, 4), R(3, 4)];
        var report = TensorGradCheck.Check(x => Tensor<double>.Linear(x[0], x[1], bias ? x[2] : null).Tanh(), inputs, "linear+tanh");
        Assert.True(report.Passed, report.Message);
    }

    [Fact]
    public void Gradients_match_central_differences_for_a_batch_of_rank_three_and_a_transposed_weight()
    {
        var rng = new Random(5);
        Tensor<double> R(params int[] shape) => new(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), shape);
        var report = TensorGradCheck.Check(x => Tensor<double>.Linear(x[0], x[1].Transpose(), x[2]).Sin(), [R(2, 3, 4), R(4, 2), R(2)], "linear rank 3");
        Assert.True(report.Passed, report.Message);
    }

    [Fact]
    public void Gradient_accumulates_over_two_backward_passes()
    {
        var layer = new Linear<double>(2, 1);
        layer.Weight.AsSpan()[0] = 1;
        var x = Tensor.FromArray(new[] { 3.0, 4.0 }, 1, 2);
        layer.Forward(x).Sum().Backward();
        layer.Forward(x).Sum().Backward();
        Assert.Equal(new double[] { 6, 8 }, layer.Weight.Grad!.ToArray());
        Assert.Equal(new double[] { 2 }, layer.Bias!.Grad!.ToArray());
        layer.ZeroGrad();
        Assert.Equal(new double[] { 0, 0 }, layer.Weight.Grad!.ToArray());
    }

    [Fact]
    public void Weight_is_out_by_in_and_parameters_are_named_weight_and_bias()
    {
        var layer = new Linear<float>(3, 4);
        Assert.Equal(new[] { 4, 3 }, layer.Weight.Shape);
        Assert.Equal(new[] { 4 }, layer.Bias!.Shape);
        Assert.Equal(new[] { "weight", "bias" }, layer.NamedParameters().Select(kv => kv.Key));
        Assert.Equal(new[] { "weight" }, new Linear<float>(3, 4, bias: false).NamedParameters().Select(kv => kv.Key));
        Assert.True(layer.Weight.RequiresGrad);
    }

    [Fact]
    public void A_wrong_input_width_names_both_shapes()
    {
        var layer = new Linear<double>(3, 2);
        var e = Assert.Throws<NablaException>(() => layer.Forward(Tensor<double>.Zeros(5, 4)));
        Assert.Contains("(5, 4)", e.Message);
        Assert.Contains("in_features = 3", e.Message);
    }

    [Fact]
    public void Float_forward_matches_double_forward()
    {
        var rng = new global::Nabla.Rng.RandomState(1);
        var d = new Linear<double>(7, 5, rng);
        var f = new Linear<float>(7, 5);
        f.LoadStateDict(d.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.To<float>()));
        var x = new Tensor<double>(rng.Randn(3, 7), 3, 7);
        var yd = d.Forward(x).ToArray();
        var yf = f.Forward(x.To<float>()).ToArray();
        for (int i = 0; i < yd.Length; i++) Assert.Equal(yd[i], yf[i], 5);
    }
}
