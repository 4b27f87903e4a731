namespace Nabla.Tests.Rng;

/// <summary>Compares doubles by their IEEE bits, reporting the first differing index with both values round-trippable.</summary>
internal static class BitAssert
{
    public static void Equal(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            long e = BitConverter.DoubleToInt64Bits(expected[i]), a = BitConverter.DoubleToInt64Bits(actual[i]);
            Assert.True(e == a, $"{what}[{i}]: expected {expected[i]:R} (bits {e:X16}), got {actual[i]:R} (bits {a:X16})");
        }
    }
}
