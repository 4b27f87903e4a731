using Nabla.Rng;

namespace Nabla.Tests.Rng;

/// <summary>
/// Expected values come from NumPy 1.24.2's legacy RandomState (Debian python3-numpy), printed with repr(), e.g.
/// <c>/usr/bin/python3 -c "import numpy as np; np.random.seed(0); print([repr(x) for x in np.random.normal(size=6)])"</c>.
/// A double literal parses to the exact double repr() printed, so comparing bits is exact.
/// </summary>
public class RandomStateTests
{
    [Fact]
    public void Seed_0_normal_matches_numpy_bit_for_bit()
    {
        // np.random.seed(0); np.random.normal(size=6)  (notebook 001's weights)
        var rs = new RandomState(0);
        BitAssert.Equal([1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458, 1.8675579901499675, -0.977277879876411],
            rs.Normal(0, 1, 6), "normal(size=6)");
    }

    [Fact]
    public void Seed_2_random_matches_notebook_003()
    {
        // np.random.seed(2); np.random.random((3,4)); np.random.random((4,1))
        var rs = new RandomState(2);
        BitAssert.Equal([0.43599490214200376, 0.025926231827891333, 0.5496624778787091, 0.4353223926182769,
            0.42036780208748903, 0.3303348210038741, 0.2046486340378425, 0.6192709663506637,
            0.29965467367452314, 0.26682727510286663, 0.6211338327692949, 0.5291420942770391], rs.Random(3, 4), "random((3,4))");
        BitAssert.Equal([0.13457994534493356, 0.5135781212657464, 0.18443986564691528, 0.7853351478166735], rs.Random(4, 1), "random((4,1))");
    }

    [Fact]
    public void Seed_310_randn_matches_notebook_000_and_continues_across_calls()
    {
        // np.random.seed(310); [np.random.randn(1,1), np.random.randn(1,1)]; RandomState(310).randn(7)
        double[] expected = [0.5353451968548101, 1.0115632484315744, 0.07230107315825694, 0.3107766106676597,
            -0.6881460528132728, 1.039523802243455, 0.17746013784064824];
        var rs = new RandomState(310);
        BitAssert.Equal(expected[..1], rs.Randn(1, 1), "first randn(1,1)");
        BitAssert.Equal(expected[1..2], rs.Randn(1, 1), "second randn(1,1), the cached value");
        BitAssert.Equal(expected, new RandomState(310).Randn(7), "randn(7)");
    }

    [Fact]
    public void Scalar_and_array_draws_follow_one_stream()
    {
        // RandomState(5).standard_normal(5)
        double[] expected = [0.44122748688504143, -0.33087015189408764, 2.43077118700778, -0.2520921296030769, 0.10960984157818278];
        var rs = new RandomState(5);
        BitAssert.Equal(expected, Enumerable.Range(0, 5).Select(_ => rs.StandardNormal()).ToArray(), "standard_normal() x5");
    }

    [Fact]
    public void Uniform_matches_numpy()
    {
        // RandomState(310).uniform(-1, 1, 5)
        BitAssert.Equal([0.6370387022059971, 0.3371372081433137, 0.9495115293735019, 0.2209004802592951, 0.565388676139027],
            new RandomState(310).Uniform(-1, 1, 5), "uniform(-1, 1, 5)");
    }

    [Fact]
    public void Normal_with_loc_and_scale_matches_numpy()
    {
        // RandomState(310).normal(5, 0.5, (2,3))
        BitAssert.Equal([5.267672598427405, 5.505781624215787, 5.036150536579129, 5.15538830533383, 4.655926973593363, 5.519761901121727],
            new RandomState(310).Normal(5, 0.5, 2, 3), "normal(5, 0.5, (2,3))");
    }

    [Fact]
    public void Array_seed_uses_init_by_array_like_numpy()
    {
        // RandomState([1,2,3]).random(3)
        BitAssert.Equal([0.6098612722867289, 0.8866970434146851, 0.47633673750662764], new RandomState([1U, 2U, 3U]).Random(3), "random(3)");
    }

    [Fact]
    public void Largest_integer_seed_matches_numpy()
    {
        // RandomState(2**32-1).random(2)
        BitAssert.Equal([0.0976320289940138, 0.9123828453026218], new RandomState(uint.MaxValue).Random(2), "random(2)");
    }

    [Fact]
    public void Reseeding_clears_the_cached_gaussian()
    {
        var rs = new RandomState(0);
        rs.StandardNormal();
        rs.Seed(0);
        Assert.Equal(BitConverter.DoubleToInt64Bits(1.764052345967664), BitConverter.DoubleToInt64Bits(rs.StandardNormal()));
    }

    [Fact]
    public void Default_instance_reseeds_like_np_random_seed()
    {
        RandomState.Default.Seed(2);
        BitAssert.Equal([0.43599490214200376, 0.025926231827891333], RandomState.Default.Rand(2), "np.random.rand(2) after seed(2)");
    }

    [Fact]
    public void Empty_and_zero_sizes_give_empty_arrays_and_negative_sizes_throw()
    {
        var rs = new RandomState(0);
        Assert.Single(rs.Random(Array.Empty<int>()));
        Assert.Empty(rs.Random(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => rs.Random(-1));
    }

    [Fact]
    public void Invalid_distribution_parameters_throw()
    {
        var rs = new RandomState(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => rs.Normal(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rs.Normal(0, double.NaN, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => rs.Uniform(double.MinValue, double.MaxValue));
    }
}
