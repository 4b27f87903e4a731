using Nabla.Rng;
using Nabla.Tensors;
using static Nabla.Tests.Tensors.ConvolutionTests;

namespace Nabla.Tests.Tensors;

/// <summary>Batch and layer norm, embedding and dropout against what their definitions imply.</summary>
public class NormalizationTests
{
    [Fact]
    public void Batch_norm_in_training_gives_each_channel_mean_0_and_variance_1_and_moves_the_running_statistics()
    {
        var rng = new RandomState(2);
        var x = Random(rng, 4, 3, 2, 5) * 3.0 + 1.0;
        var rm = Tensor<double>.Full(0.5, 3);
        var rv = Tensor<double>.Full(2.0, 3);
        var y = Tensor<double>.BatchNorm(x, null, null, rm, rv, training: true, momentum: 0.25, eps: 0);
        for (int c = 0; c < 3; c++)
        {
            var xc = x.Select(1, c).ToArray();
            var yc = y.Select(1, c).ToArray();
            double mean = xc.Average(), var = xc.Sum(v => (v - mean) * (v - mean));
            Assert.Equal(0, yc.Average(), 1e-12);
            Assert.Equal(1, yc.Sum(v => v * v) / yc.Length, 1e-12);
            Assert.Equal(0.75 * 0.5 + 0.25 * mean, rm[c], 1e-12);
            Assert.Equal(0.75 * 2.0 + 0.25 * var / (xc.Length - 1), rv[c], 1e-12);
        }
    }

    [Fact]
    public void Batch_norm_in_eval_uses_the_running_statistics()
    {
        var x = new Tensor<double>([1, 2, 3, 4], 2, 2);
        var y = Tensor<double>.BatchNorm(x, Tensor<double>.Full(2.0, 2), Tensor<double>.Full(1.0, 2),
            new Tensor<double>([1, 0], 2), new Tensor<double>([4, 1], 2), training: false, eps: 0);
        Assert.Equal([2 * (1 - 1) / 2.0 + 1, 2 * 2 + 1, 2 * (3 - 1) / 2.0 + 1, 2 * 4 + 1], y.ToArray());
    }

    [Fact]
    public void Batch_norm_refuses_one_value_per_channel_in_training_and_mismatched_parameters()
    {
        var e = Assert.Throws<NablaException>(() => Tensor<double>.BatchNorm(Tensor<double>.Zeros(1, 3), null, null, null, null, true));
        Assert.Contains("more than 1 value", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.BatchNorm(Tensor<double>.Zeros(2, 3), Tensor<double>.Zeros(4), null, null, null, true));
        Assert.Contains("weight of shape (4,)", e.Message);
    }

    [Fact]
    public void Layer_norm_gives_each_slice_mean_0_and_variance_1_then_scales_and_shifts()
    {
        var rng = new RandomState(4);
        var x = Random(rng, 3, 2, 4) * 5.0;
        var w = Random(rng, 2, 4);
        var b = Random(rng, 2, 4);
        var plain = Tensor<double>.LayerNorm(x, [2, 4], eps: 0);
        var affine = Tensor<double>.LayerNorm(x, [2, 4], w, b, eps: 0);
        for (int r = 0; r < 3; r++)
        {
            var row = plain.Select(0, r).ToArray();
            Assert.Equal(0, row.Average(), 1e-12);
            Assert.Equal(1, row.Sum(v => v * v) / row.Length, 1e-12);
        }
        var expected = (plain * w + b).ToArray();
        var actual = affine.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
        var e = Assert.Throws<NablaException>(() => Tensor<double>.LayerNorm(x, [3]));
        Assert.Contains("does not end in the normalized shape (3,)", e.Message);
    }

    [Fact]
    public void Embedding_picks_rows_and_adds_gradients_of_repeated_rows()
    {
        var w = new Tensor<double>([0, 1, 10, 11, 20, 21], 3, 2).RequireGrad();
        var y = Tensor<double>.Embedding(w, [2, 0, 2], [3]);
        Assert.Equal([3, 2], y.Shape);
        Assert.Equal([20, 21, 0, 1, 20, 21], y.ToArray());
        y.Sum().Backward();
        Assert.Equal([1, 1, 0, 0, 2, 2], w.Grad!.ToArray());
        var e = Assert.Throws<NablaException>(() => Tensor<double>.Embedding(w, [0, 3], [2]));
        Assert.Contains("index 3 at position 1", e.Message);
    }

    [Fact]
    public void Dropout_zeroes_about_p_scales_the_rest_repeats_with_the_seed_and_is_identity_in_eval()
    {
        var x = Tensor<double>.Ones(100, 100);
        var a = x.Dropout(0.3, new RandomState(9)).ToArray();
        var b = x.Dropout(0.3, new RandomState(9)).ToArray();
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.7) < 1e-15));
        double dropped = a.Count(v => v == 0) / 10000.0;
        Assert.InRange(dropped, 0.27, 0.33);   // binomial: sd 0.0046
        Assert.Same(x, x.Dropout(0.3, new RandomState(9), training: false));
        Assert.Throws<NablaException>(() => x.Dropout(1.5, new RandomState(9)));
    }
}
