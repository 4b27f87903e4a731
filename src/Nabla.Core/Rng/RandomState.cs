using System.Security.Cryptography;

namespace Nabla.Rng;

/// <summary>
/// A bit-exact port of NumPy's legacy <c>numpy.random.RandomState</c> (MT19937 plus the legacy distributions):
/// the same seed gives the same doubles, bit for bit, as NumPy 1.x (and 2.x, whose <c>RandomState</c> is frozen).
/// <see cref="Default"/> plays the role of the module-level <c>np.random.*</c> functions.
/// </summary>
/// <remarks>
/// Array-valued methods take NumPy's <c>size</c> as a shape and return the values in row-major (C) order.
/// Every public method locks the instance, so a shared instance (like <see cref="Default"/>) stays consistent
/// across threads; the sequence each thread sees then depends on scheduling, as in NumPy.
/// </remarks>
public sealed partial class RandomState
{
    private readonly MersenneTwister _mt;
    private readonly Lock _sync = new();
    private bool _hasGauss;
    private double _gauss;

    /// <summary>Like <c>RandomState(seed)</c>: state from <c>init_genrand(seed)</c>, no cached Gaussian.</summary>
    public RandomState(uint seed) => _mt = new MersenneTwister(seed);

    /// <summary>Like <c>RandomState([k0, k1, …])</c>: state from <c>init_by_array(key)</c>, no cached Gaussian.</summary>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public RandomState(ReadOnlySpan<uint> key) : this(0U) => Seed(key);

    /// <summary>Like <c>RandomState()</c>: seeded from operating-system entropy (624 words through <c>init_by_array</c>).</summary>
    public RandomState() : this(0U) => Seed();

    /// <summary>The process-wide instance, the counterpart of <c>np.random.seed</c>, <c>np.random.rand</c>, …; starts entropy-seeded.</summary>
    public static RandomState Default { get; } = new();

    /// <summary>Like <c>np.random.seed(seed)</c> for an integer: <c>init_genrand(seed)</c> and the Gaussian cache cleared.</summary>
    public void Seed(uint seed)
    {
        lock (_sync) { _mt.InitGenrand(seed); ClearGauss(); }
    }

    /// <summary>Like <c>np.random.seed([k0, k1, …])</c>: <c>init_by_array(key)</c> and the Gaussian cache cleared.</summary>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public void Seed(ReadOnlySpan<uint> key)
    {
        lock (_sync) { _mt.InitByArray(key); ClearGauss(); }
    }

    /// <summary>Like <c>np.random.seed()</c>: reseeds from operating-system entropy; not reproducible.</summary>
    public void Seed()
    {
        Span<uint> key = stackalloc uint[MersenneTwister.StateLength];
        RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(key));
        Seed(key);
    }

    /// <summary>The next raw 32-bit output of MT19937 (<c>genrand_int32</c>).</summary>
    public uint NextUInt32()
    {
        lock (_sync) return _mt.NextUInt32();
    }

    /// <summary>Like <c>random_sample()</c>: one double uniform on [0, 1) from two 32-bit draws (see <see cref="MersenneTwister.NextDouble"/>).</summary>
    public double RandomSample()
    {
        lock (_sync) return _mt.NextDouble();
    }

    /// <summary>Like <c>random_sample(size)</c>: <paramref name="size"/>'s product of doubles uniform on [0, 1), row-major.</summary>
    public double[] RandomSample(params int[] size) => Fill(size, static s => s._mt.NextDouble());

    /// <summary>Like <c>random()</c>: the same as <see cref="RandomSample()"/>.</summary>
    public double Random() => RandomSample();

    /// <summary>Like <c>random(size)</c>: the same as <see cref="RandomSample(int[])"/>.</summary>
    public double[] Random(params int[] size) => RandomSample(size);

    /// <summary>Like <c>rand()</c>: the same as <see cref="RandomSample()"/>.</summary>
    public double Rand() => RandomSample();

    /// <summary>Like <c>rand(d0, d1, …)</c>: the same as <see cref="RandomSample(int[])"/> with shape (d0, d1, …).</summary>
    public double[] Rand(params int[] dimensions) => RandomSample(dimensions);

    /// <summary>Like <c>uniform(low, high)</c>: low + (high − low) · u with u from <see cref="RandomSample()"/>; in [low, high) (rounding may reach high).</summary>
    /// <exception cref="ArgumentOutOfRangeException">high − low is not finite (NumPy: OverflowError).</exception>
    public double Uniform(double low = 0.0, double high = 1.0)
    {
        double range = CheckedRange(low, high);
        lock (_sync) return low + range * _mt.NextDouble();
    }

    /// <summary>Like <c>uniform(low, high, size)</c>: each value low + (high − low) · u, row-major.</summary>
    /// <exception cref="ArgumentOutOfRangeException">high − low is not finite.</exception>
    public double[] Uniform(double low, double high, params int[] size)
    {
        double range = CheckedRange(low, high);
        return Fill(size, s => low + range * s._mt.NextDouble());
    }

    /// <summary>
    /// Like <c>standard_normal()</c>: NumPy's legacy polar (Marsaglia) method. With no cached value it draws
    /// x1 = 2u − 1, x2 = 2u − 1 until 0 &lt; r² = x1² + x2² &lt; 1, returns f·x2 with f = √(−2 ln r² / r²) and
    /// caches f·x1 for the next call; the cache is part of the state (<see cref="GetState"/>).
    /// </summary>
    public double StandardNormal()
    {
        lock (_sync) return Gauss();
    }

    /// <summary>Like <c>standard_normal(size)</c>: values of <see cref="StandardNormal()"/>, row-major.</summary>
    public double[] StandardNormal(params int[] size) => Fill(size, static s => s.Gauss());

    /// <summary>Like <c>randn()</c>: the same as <see cref="StandardNormal()"/>.</summary>
    public double Randn() => StandardNormal();

    /// <summary>Like <c>randn(d0, d1, …)</c>: the same as <see cref="StandardNormal(int[])"/>.</summary>
    public double[] Randn(params int[] dimensions) => StandardNormal(dimensions);

    /// <summary>Like <c>normal(loc, scale)</c>: loc + scale · <see cref="StandardNormal()"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">scale is negative or NaN.</exception>
    public double Normal(double loc = 0.0, double scale = 1.0)
    {
        CheckScale(scale);
        lock (_sync) return loc + scale * Gauss();
    }

    /// <summary>Like <c>normal(loc, scale, size)</c>: each value loc + scale · z, row-major.</summary>
    /// <exception cref="ArgumentOutOfRangeException">scale is negative or NaN.</exception>
    public double[] Normal(double loc, double scale, params int[] size)
    {
        CheckScale(scale);
        return Fill(size, s => loc + scale * s.Gauss());
    }

    /// <summary>The number of elements of a NumPy <c>size</c> tuple: the product of its entries (1 for an empty tuple).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An entry is negative or the product overflows an array.</exception>
    internal static int ElementCount(ReadOnlySpan<int> size)
    {
        long count = 1;
        foreach (int d in size)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(size), d, "Dimensions must be non-negative.");
            count *= d;
            if (count > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(size), "Too many elements for one array.");
        }
        return (int)count;
    }

    private T[] Fill<T>(int[] size, Func<RandomState, T> draw)
    {
        var result = new T[ElementCount(size)];
        lock (_sync)
        {
            for (int i = 0; i < result.Length; i++) result[i] = draw(this);
        }
        return result;
    }

    private double Gauss()
    {
        if (_hasGauss)
        {
            double cached = _gauss;
            ClearGauss();
            return cached;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * _mt.NextDouble() - 1.0;
            x2 = 2.0 * _mt.NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    private void ClearGauss()
    {
        _hasGauss = false;
        _gauss = 0.0;
    }

    private static double CheckedRange(double low, double high)
    {
        double range = high - low;
        if (!double.IsFinite(range))
            throw new ArgumentOutOfRangeException(nameof(high), $"uniform: high − low = {range} is not finite (low {low:R}, high {high:R}).");
        return range;
    }

    private static void CheckScale(double scale)
    {
        if (!(scale >= 0.0))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "normal: scale must be non-negative.");
    }
}
