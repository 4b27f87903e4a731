using Nabla.Rng;

namespace Nabla.Tests.Rng;

public class MersenneTwisterTests
{
    [Fact]
    public void Init_genrand_5489_gives_the_reference_first_outputs()
    {
        // mt19937ar init_genrand(5489) (the C++ std::mt19937 default seed); also
        // numpy.random.MT19937()._legacy_seeding(5489).random_raw(5) in NumPy 1.24.2.
        uint[] expected = [3499211612, 581869302, 3890346734, 3586334585, 545404204];
        var mt = new MersenneTwister(5489);
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => mt.NextUInt32()).ToArray());
    }

    [Fact]
    public void The_ten_thousandth_output_after_seed_5489_is_4123659995()
    {
        // C++ [rand.predef]: the 10000th consecutive invocation of a default-constructed std::mt19937 produces 4123659995.
        var mt = new MersenneTwister(5489);
        for (int i = 1; i < 10000; i++) mt.NextUInt32();
        Assert.Equal(4123659995U, mt.NextUInt32());
    }

    [Fact]
    public void Init_by_array_gives_the_outputs_listed_in_mt19937ar_out()
    {
        // mt19937ar.out: init_by_array({0x123, 0x234, 0x345, 0x456}), first five genrand_int32() outputs;
        // the same from NumPy 1.24.2: MT19937()._legacy_seeding([0x123, 0x234, 0x345, 0x456]).random_raw(5).
        uint[] expected = [1067595299, 955945823, 477289528, 4107218783, 4228976476];
        var mt = new MersenneTwister(0);
        mt.InitByArray([0x123, 0x234, 0x345, 0x456]);
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => mt.NextUInt32()).ToArray());
    }

    [Fact]
    public void Init_genrand_fills_the_key_by_the_reference_recurrence()
    {
        // key[i] = 1812433253 * (key[i-1] ^ (key[i-1] >> 30)) + i, by hand for seed 0: 0, 1, 1812433255;
        // NumPy: RandomState(5489).get_state()[1][:3] = [5489, 1301868182, 2938499221].
        Assert.Equal([0U, 1U, 1812433255U], new MersenneTwister(0).Key[..3].ToArray());
        Assert.Equal([5489U, 1301868182U, 2938499221U], new MersenneTwister(5489).Key[..3].ToArray());
        Assert.Equal(MersenneTwister.StateLength, new MersenneTwister(0).Position);
    }

    [Fact]
    public void Init_by_array_sets_the_first_key_word_to_0x80000000()
    {
        var mt = new MersenneTwister(0);
        mt.InitByArray([1, 2, 3]);
        Assert.Equal(0x80000000U, mt.Key[0]);
    }

    [Fact]
    public void Init_by_array_rejects_an_empty_key()
    {
        Assert.Throws<ArgumentException>(() => new MersenneTwister(0).InitByArray([]));
    }

    [Fact]
    public void Next_uint64_puts_the_first_draw_in_the_high_word()
    {
        var a = new MersenneTwister(7);
        var b = new MersenneTwister(7);
        ulong high = b.NextUInt32(), low = b.NextUInt32();
        Assert.Equal((high << 32) | low, a.NextUInt64());
    }

    [Fact]
    public void Next_double_combines_27_and_26_bits_of_two_draws()
    {
        var a = new MersenneTwister(42);
        var b = new MersenneTwister(42);
        double expected = ((b.NextUInt32() >> 5) * 67108864.0 + (b.NextUInt32() >> 6)) / 9007199254740992.0;
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(a.NextDouble()));
    }
}
