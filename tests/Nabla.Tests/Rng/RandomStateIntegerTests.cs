using Nabla.Rng;

namespace Nabla.Tests.Rng;

/// <summary>
/// Expected values from NumPy 1.24.2's legacy RandomState, e.g.
/// <c>/usr/bin/python3 -c "import numpy as np; print(np.random.RandomState(310).randint(0,10,8))"</c>.
/// </summary>
public class RandomStateIntegerTests
{
    [Fact]
    public void Randint_small_range_matches_numpy() =>
        // RandomState(310).randint(0, 10, 8)
        Assert.Equal([6L, 1, 8, 0, 3, 7, 3, 5], new RandomState(310).RandInt(0, 10, 8));

    [Fact]
    public void Randint_with_negative_low_matches_numpy() =>
        // RandomState(310).randint(-5, 1000000, 4)
        Assert.Equal([687089L, 740983, 479223, 396120], new RandomState(310).RandInt(-5, 1000000, 4));

    [Fact]
    public void Randint_full_32_bit_range_uses_one_unmasked_draw() =>
        // RandomState(310).randint(0, 2**32, 3)
        Assert.Equal([3515513846L, 2701872764, 2871480316], new RandomState(310).RandInt(0, 1L << 32, 3));

    [Fact]
    public void Randint_beyond_32_bits_uses_64_bit_draws() =>
        // RandomState(310).randint(0, 2**40, 3)
        Assert.Equal([1059263827580L, 1082549209949, 4686489416], new RandomState(310).RandInt(0, 1L << 40, 3));

    [Fact]
    public void Randint_over_almost_all_of_int64_matches_numpy() =>
        // RandomState(310).randint(-2**63, 2**63-1, 2)
        Assert.Equal([5875644963052277372L, 3109542011690421085], new RandomState(310).RandInt(long.MinValue, long.MaxValue, 2));

    [Fact]
    public void Randint_with_one_possible_value_draws_nothing()
    {
        // RandomState(310).randint(7, 8, 3) -> [7 7 7], then .random() -> 0.8185193511029986 (its first double)
        var rs = new RandomState(310);
        Assert.Equal([7L, 7, 7], rs.RandInt(7, 8, 3));
        BitAssert.Equal([0.8185193511029986], [rs.Random()], "random() after randint(7, 8)");
    }

    [Fact]
    public void Randint_scalar_forms_follow_the_same_stream()
    {
        var rs = new RandomState(310);
        Assert.Equal([6L, 1], new[] { rs.RandInt(10), rs.RandInt(0, 10) });
    }

    [Fact]
    public void Randint_rejects_an_empty_range()
    {
        Assert.Throws<ArgumentException>(() => new RandomState(0).RandInt(3, 3));
        Assert.Throws<ArgumentException>(() => new RandomState(0).RandInt(0));
    }

    [Fact]
    public void Permutation_matches_numpy() =>
        // RandomState(310).permutation(10)
        Assert.Equal([9, 2, 8, 4, 5, 3, 7, 0, 1, 6], new RandomState(310).Permutation(10));

    [Fact]
    public void Shuffle_matches_numpy()
    {
        // a = np.arange(20); RandomState(310).shuffle(a)
        int[] a = Enumerable.Range(0, 20).ToArray();
        new RandomState(310).Shuffle<int>(a);
        Assert.Equal([15, 19, 17, 18, 12, 2, 0, 6, 9, 10, 4, 5, 14, 7, 3, 13, 11, 16, 8, 1], a);
    }

    [Fact]
    public void Shuffle_rows_matches_numpy_on_a_2d_array()
    {
        // a = np.arange(12).reshape(4,3); RandomState(310).shuffle(a)
        double[] a = Enumerable.Range(0, 12).Select(i => (double)i).ToArray();
        new RandomState(310).ShuffleRows<double>(a, 3);
        Assert.Equal([3.0, 4, 5, 9, 10, 11, 0, 1, 2, 6, 7, 8], a);
    }

    [Fact]
    public void Permutation_of_values_copies_and_leaves_the_input_alone()
    {
        string[] input = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        string[] shuffled = new RandomState(310).Permutation<string>(input);
        Assert.Equal(["j", "c", "i", "e", "f", "d", "h", "a", "b", "g"], shuffled); // the permutation(10) indices above
        Assert.Equal("a", input[0]);
    }
}
