using Nabla.Rng;
using Nabla.Training;

namespace Nabla.Tests.Training;

public sealed class SamplingTests
{
    [Fact]
    public void A_draw_is_the_inverse_cdf_of_one_random_sample()
    {
        double[] p = [0.2, 0.5, 0.3];
        var logits = p.Select(x => Math.Log(x)).ToArray();
        for (uint seed = 0; seed < 50; seed++)
        {
            double u = new RandomState(seed).RandomSample();
            int expected = u < 0.2 ? 0 : u < 0.7 ? 1 : 2;
            Assert.Equal(expected, Sampling.Draw(logits, 1, null, new RandomState(seed)));
        }
    }

    [Fact]
    public void Temperature_scales_the_logits_before_the_softmax()
    {
        double[] logits = [0, Math.Log(3)];            // at temperature 2: weights 1 and √3
        double cut = 1 / (1 + Math.Sqrt(3));
        for (uint seed = 0; seed < 50; seed++)
        {
            double u = new RandomState(seed).RandomSample();
            Assert.Equal(u < cut ? 0 : 1, Sampling.Draw(logits, 2, null, new RandomState(seed)));
        }
    }

    [Fact]
    public void Top_k_keeps_only_the_k_largest_and_ties_with_the_kth()
    {
        double[] logits = [1, 5, 3, 3, 0];
        var seen = new HashSet<int>();
        var rng = new RandomState(7);
        for (int i = 0; i < 400; i++) seen.Add(Sampling.Draw(logits, 10, 2, rng));
        Assert.Equal([1, 2, 3], seen.Order());
        Assert.Equal(1, Sampling.Draw(logits, 1, 1, new RandomState(3)));
    }

    [Fact]
    public void Temperature_zero_is_the_first_largest_logit_and_draws_nothing()
    {
        var rng = new RandomState(1);
        Assert.Equal(1, Sampling.Draw([0, 2, 2, 1], 0, null, rng));
        Assert.Equal(new RandomState(1).RandomSample(), rng.RandomSample());
    }

    [Fact]
    public void Bad_settings_are_refused_naming_the_parameter()
    {
        var rng = new RandomState(0);
        Assert.Equal("temperature", Assert.Throws<NablaArgumentException>(() => Sampling.Draw([0, 1], -1, null, rng)).Parameter);
        Assert.Equal("topK", Assert.Throws<NablaArgumentException>(() => Sampling.Draw([0, 1], 1, 0, rng)).Parameter);
        Assert.Equal("logits", Assert.Throws<NablaArgumentException>(() => Sampling.Draw([0, double.NaN], 1, null, rng)).Parameter);
        Assert.Equal("logits", Assert.Throws<NablaArgumentException>(() => Sampling.Draw([], 1, null, rng)).Parameter);
    }
}
