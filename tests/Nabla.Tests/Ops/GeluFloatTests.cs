using Nabla.Ops;
using Nabla.Rng;

namespace Nabla.Tests.Ops;

/// <summary>
/// The float32 GELU kernels (forward and backward, computed in float lanes) against the double path rounded to float,
/// over a dense grid, random points, the left tail down to where GELU underflows, and the special values.
/// </summary>
public class GeluFloatTests
{
    private static float[] Points()
    {
        var xs = new List<float>();
        for (int k = -240_000; k <= 240_000; k++) xs.Add(k * 5e-5f);             // ±12, step 5e-5
        var rng = new RandomState(11);
        for (int k = 0; k < 100_000; k++) xs.Add((float)(rng.Uniform() * 24 - 12));
        for (float x = -12; x >= -16; x -= 0.001f) xs.Add(x);                   // where Φ nears float's smallest values
        xs.AddRange([0f, -0f, 1e-30f, -1e-30f, float.Epsilon, -0.7517916f, 30f, -30f, 1e6f, -1e6f]);
        while (xs.Count % 16 != 0) xs.Add(0.5f);                                 // every point goes through the vector loop
        return [.. xs];
    }

    // Distance in units in the last place, counting across zero.
    private static long Ulps(float a, float b)
    {
        static long Ordered(float v) { int i = BitConverter.SingleToInt32Bits(v); return i < 0 ? int.MinValue - (long)i : i; }
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    private static void AssertClose(string what, float x, float actual, float expected)
    {
        if (float.IsNaN(expected)) { Assert.True(float.IsNaN(actual), $"{what}({x:R}) = {actual:R}, the double path gives NaN"); return; }
        // Where Φ or φ is subnormal (below 2^−126, x below about −13) they have a fixed spacing, which the result scales by
        // about |x|; there the error is bounded absolutely.
        // On the right Φ ≥ ½ and the result stays within 2 ulps. On the left the float chain (exp, erfcx, the products)
        // rounds about six times, so up to 5 ulps; near the derivative's zero (x ≈ −0.75) an absolute 1e-7 is allowed.
        long ulps = Ulps(actual, expected);
        float diff = Math.Abs(actual - expected);
        bool ok = Math.Abs(expected) < Math.Abs(x) * 1.17549435E-38f ? diff <= (Math.Abs(x) + 1) * 16 * float.Epsilon
            : x >= 0 ? ulps <= 2
            : ulps <= 5 || diff <= 1e-7f && x > -1;
        Assert.True(ok, $"{what}({x:R}) = {actual:R}, the double path rounded to float gives {expected:R} ({ulps} ulps apart)");
    }

    [Fact]
    public void Forward_is_within_a_few_ulps_of_the_double_path()
    {
        var x = Points();
        var y = new float[x.Length];
        Gelu.Apply<float>(x, y);
        for (int i = 0; i < x.Length; i++) AssertClose("gelu", x[i], y[i], (float)Gelu.Apply((double)x[i]));
    }

    [Fact]
    public void Backward_is_within_a_few_ulps_of_the_double_path()
    {
        var x = Points();
        var dy = new float[x.Length];
        Array.Fill(dy, 1f);
        var dx = new float[x.Length];
        Gelu.Backward<float>(x, x, dy, dx);
        for (int i = 0; i < x.Length; i++) AssertClose("gelu'", x[i], dx[i], (float)Gelu.Derivative((double)x[i], 0.0));
    }

    [Fact]
    public void Specials_give_what_the_double_path_gives()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, -10f, -13f, 12f, .. new float[8]];
        var y = new float[x.Length];
        var dx = new float[x.Length];
        Gelu.Apply<float>(x, y);
        Gelu.Backward<float>(x, y, Enumerable.Repeat(1f, x.Length).ToArray(), dx);
        Assert.True(float.IsNaN(y[0]) && float.IsNaN(dx[0]));
        Assert.Equal(float.PositiveInfinity, y[1]);
        Assert.True(float.IsNaN(y[2]), "gelu(−∞) = −∞·0 = NaN, as PyTorch gives");
        Assert.True(float.IsNaN(dx[1]) && float.IsNaN(dx[2]), "gelu′(±∞) is NaN as in the double path");
        Assert.Equal(0f, y[4]);
        Assert.True(Math.Abs(dx[4] - 0.5f) <= 6e-8f, $"gelu′(0) = {dx[4]:R}, not ½");
        Assert.True(y[5] < 0 && y[5] > -1e-21f, $"gelu(−10) = {y[5]:R} is a tiny negative number, not 0");
        Assert.Equal(12f, y[7]);
    }
}
