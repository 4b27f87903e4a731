using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

public class InitTests
{
    // NumPy 1.24: np.random.seed(0); np.random.random(3) and np.random.seed(0); np.random.standard_normal(3)
    private static readonly double[] Random0 = [0.5488135039273248, 0.7151893663724195, 0.6027633760716439];
    private static readonly double[] Normal0 = [1.764052345967664, 0.4001572083672233, 0.9787379841057392];

    [Fact]
    public void Kaiming_uniform_draws_U_of_plus_minus_sqrt_6_over_fan_in_in_row_major_order()
    {
        var w = Tensor<double>.Zeros(2, 6);   // fan_in 6: bound √(6/6) = 1
        Init.KaimingUniform(w, new RandomState(0));
        var v = w.ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(-1 + 2 * Random0[i], v[i], 15);
    }

    [Fact]
    public void Normal_draws_NumPy_standard_normals()
    {
        var w = Tensor<double>.Zeros(3);
        Init.Normal(w, new RandomState(0));
        Assert.Equal(Normal0, w.ToArray());
    }

    [Fact]
    public void Uniform_symmetric_is_two_times_random_minus_one_as_in_notebook_003()
    {
        var w = Tensor<double>.Zeros(3);
        Init.UniformSymmetric(w, new RandomState(0));
        Assert.Equal(Random0.Select(r => 2 * r - 1), w.ToArray());
    }

    [Fact]
    public void PyTorch_default_draws_the_weight_then_the_bias_from_plus_minus_one_over_sqrt_fan_in()
    {
        var layer = new Linear<double>(4, 1, new RandomState(0));   // bound 1/√4 = 0.5: 4 weights then 1 bias
        var expected = new RandomState(0).RandomSample(5).Select(r => -0.5 + r).ToArray();
        Assert.Equal(expected[..4], layer.Weight.ToArray());
        Assert.Equal(expected[4], layer.Bias!.ToArray()[0]);
        Assert.Equal(-0.5 + Random0[0], layer.Weight.ToArray()[0], 15);
    }

    [Fact]
    public void Mlp_initialises_layer_after_layer_from_one_generator()
    {
        var net = Mlp.Create<double>([2, 3, 1], "relu", new RandomState(4), InitScheme.Normal);
        var draws = new RandomState(4).StandardNormal(6 + 3 + 3 + 1);
        Assert.Equal(draws, net.Parameters().SelectMany(p => p.ToArray()));
    }

    [Theory]
    [InlineData(InitScheme.KaimingNormal, 0.050507627227610534)]    // √(2/784)
    [InlineData(InitScheme.KaimingUniform, 0.050507627227610534)]   // bound √(6/784), std = bound/√3
    [InlineData(InitScheme.XavierNormal, 0.039283710065919304)]    // √(2/(784+512))
    [InlineData(InitScheme.XavierUniform, 0.039283710065919304)]
    [InlineData(InitScheme.PyTorchDefault, 0.020619652471058063)]   // (1/√784)/√3
    public void Large_weights_have_the_scheme_s_mean_and_standard_deviation(InitScheme scheme, double std)
    {
        var layer = new Linear<float>(784, 512, new RandomState(11), scheme);
        var v = layer.Weight.ToArray().Select(x => (double)x).ToArray();
        double mean = v.Average(), sd = Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(mean, -0.01 * std * 3, 0.01 * std * 3);   // |mean| < 3 standard errors (σ/√401408 ≈ 0.0016σ) with margin
        Assert.InRange(sd, std * 0.99, std * 1.01);
        if (scheme is InitScheme.KaimingUniform) Assert.All(v, x => Assert.InRange(x, -std * Math.Sqrt(3), std * Math.Sqrt(3)));
        if (scheme is not InitScheme.PyTorchDefault) Assert.All(layer.Bias!.ToArray(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void Fans_of_a_weight_out_by_in_are_in_and_out()
    {
        Assert.Equal((784, 512), Init.Fans(Tensor<float>.Zeros(512, 784)));
        Assert.Throws<NablaException>(() => Init.Fans(Tensor<float>.Zeros(5)));
    }
}
