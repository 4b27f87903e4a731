using Nabla.Rng;

namespace Nabla.Tests.Rng;

public class RandomStateSnapshotTests
{
    [Fact]
    public void Get_state_after_one_normal_matches_numpy()
    {
        // rs = np.random.RandomState(5); rs.standard_normal(); rs.get_state() ->
        // pos 4, has_gauss 1, cached -0.33087015189408764, key[0:3] [4081643083, 713234725, 1676298141], key[623] 448296074
        var rs = new RandomState(5);
        rs.StandardNormal();
        var state = rs.GetState();
        Assert.Equal(4, state.Position);
        Assert.True(state.HasGauss);
        BitAssert.Equal([-0.33087015189408764], [state.CachedGaussian], "cached gaussian");
        Assert.Equal([4081643083U, 713234725U, 1676298141U], state.Key[..3].ToArray());
        Assert.Equal(448296074U, state.Key[623]);
    }

    [Fact]
    public void Get_state_after_a_regeneration_matches_numpy()
    {
        // rs = np.random.RandomState(5); rs.random(700); rs.get_state() -> pos 152, key[0:3] [3252730336, 1697570766, 4163405209], key[623] 3155291353
        var rs = new RandomState(5);
        rs.Random(700);
        var state = rs.GetState();
        Assert.Equal(152, state.Position);
        Assert.False(state.HasGauss);
        Assert.Equal([3252730336U, 1697570766U, 4163405209U], state.Key[..3].ToArray());
        Assert.Equal(3155291353U, state.Key[623]);
    }

    [Fact]
    public void Restoring_a_state_with_a_cached_gaussian_repeats_the_sequence_exactly()
    {
        var rs = new RandomState(3);
        rs.Randn(3); // odd count: the fourth Gaussian is cached
        var saved = rs.GetState();
        double[] first = [.. rs.Randn(5), .. rs.Random(2)];
        rs.SetState(saved);
        double[] again = [.. rs.Randn(5), .. rs.Random(2)];
        BitAssert.Equal(first, again, "after SetState");
    }

    [Fact]
    public void A_state_survives_bytes_and_text_round_trips()
    {
        var rs = new RandomState(11);
        rs.Normal(0, 1, 3);
        var saved = rs.GetState();
        Assert.Equal(saved, RandomStateSnapshot.FromBytes(saved.ToBytes()));
        Assert.Equal(saved, RandomStateSnapshot.Parse(saved.ToString()));
        Assert.Equal(RandomStateSnapshot.ByteLength, saved.ToBytes().Length);
        Assert.StartsWith("MT19937:", saved.ToString());

        var other = new RandomState(99);
        other.SetState(RandomStateSnapshot.Parse(saved.ToString()));
        BitAssert.Equal(rs.Randn(4), other.Randn(4), "continued after Parse");
    }

    [Fact]
    public void Corrupt_serialised_states_are_rejected_with_a_nabla_exception()
    {
        byte[] good = new RandomState(1).GetState().ToBytes();
        Assert.Throws<NablaException>(() => RandomStateSnapshot.FromBytes(good.AsSpan(0, 100)));
        byte[] badMagic = (byte[])good.Clone();
        badMagic[0] = (byte)'X';
        Assert.Throws<NablaException>(() => RandomStateSnapshot.FromBytes(badMagic));
        byte[] badPosition = (byte[])good.Clone();
        badPosition[4 + 4 * 624] = 0xFF; // position 0x...FF > 624
        Assert.Throws<NablaException>(() => RandomStateSnapshot.FromBytes(badPosition));
        Assert.Throws<NablaException>(() => RandomStateSnapshot.Parse("PCG64:abc"));
        Assert.Throws<NablaException>(() => RandomStateSnapshot.Parse("MT19937:not base64!"));
        Assert.Throws<NablaException>(() => new RandomStateSnapshot(new uint[623], 0, false, 0));
    }
}
