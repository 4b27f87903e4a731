namespace Nabla.Rng;

public sealed partial class RandomState
{
    /// <summary>Like <c>randint(high)</c>: an integer uniform on [0, high).</summary>
    /// <exception cref="ArgumentException">high ≤ 0.</exception>
    public long RandInt(long high) => RandInt(0, high);

    /// <summary>
    /// Like <c>randint(low, high)</c> with the default int64 dtype: NumPy's legacy masked rejection sampling.
    /// With rng = high − 1 − low and mask = the smallest 2ᵏ − 1 ≥ rng, it draws (32-bit draws when rng &lt; 2³², else
    /// 64-bit draws, high word first) until draw &amp; mask ≤ rng and returns low + (draw &amp; mask).
    /// </summary>
    /// <exception cref="ArgumentException">low ≥ high.</exception>
    public long RandInt(long low, long high)
    {
        ulong rng = CheckedIntRange(low, high);
        lock (_sync) return unchecked(low + (long)BoundedMasked(rng));
    }

    /// <summary>Like <c>randint(low, high, size)</c>: values of <see cref="RandInt(long, long)"/>, row-major.</summary>
    /// <exception cref="ArgumentException">low ≥ high.</exception>
    public long[] RandInt(long low, long high, params int[] size)
    {
        ulong rng = CheckedIntRange(low, high);
        return Fill(size, s => unchecked(low + (long)s.BoundedMasked(rng)));
    }

    /// <summary>
    /// Like <c>shuffle(x)</c> for a 1-D array: for i = n − 1 down to 1, j = interval(i), swap x[i] and x[j];
    /// interval(i) is NumPy's <c>random_interval</c>: masked rejection on [0, i] with 32-bit draws (64-bit above 2³² − 1).
    /// </summary>
    public void Shuffle<T>(Span<T> x)
    {
        lock (_sync)
        {
            for (int i = x.Length - 1; i > 0; i--)
            {
                int j = (int)Interval((ulong)i);
                (x[i], x[j]) = (x[j], x[i]);
            }
        }
    }

    /// <summary>
    /// Like <c>shuffle(x)</c> for a 2-D (or n-D) array stored row-major: permutes whole rows of
    /// <paramref name="rowLength"/> elements with the same sequence of swaps as <see cref="Shuffle{T}(Span{T})"/>.
    /// </summary>
    /// <exception cref="ArgumentException">rowLength is not positive or does not divide the length.</exception>
    public void ShuffleRows<T>(Span<T> data, int rowLength)
    {
        if (rowLength <= 0 || data.Length % rowLength != 0)
            throw new ArgumentException($"Row length {rowLength} does not divide the data length {data.Length}.", nameof(rowLength));
        var row = new T[rowLength];
        lock (_sync)
        {
            for (int i = data.Length / rowLength - 1; i > 0; i--)
            {
                int j = (int)Interval((ulong)i);
                if (i == j) continue;
                Span<T> a = data.Slice(i * rowLength, rowLength), b = data.Slice(j * rowLength, rowLength);
                a.CopyTo(row);
                b.CopyTo(a);
                row.CopyTo(b);
            }
        }
    }

    /// <summary>Like <c>permutation(n)</c>: 0, 1, …, n − 1 shuffled with <see cref="Shuffle{T}(Span{T})"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">n is negative.</exception>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        int[] result = new int[n];
        for (int i = 0; i < n; i++) result[i] = i;
        Shuffle<int>(result);
        return result;
    }

    /// <summary>Like <c>permutation(x)</c> for a 1-D array: a shuffled copy; <paramref name="x"/> is unchanged.</summary>
    public T[] Permutation<T>(ReadOnlySpan<T> x)
    {
        T[] result = x.ToArray();
        Shuffle<T>(result);
        return result;
    }

    /// <summary>NumPy's <c>random_interval(max)</c>: a uniform integer on [0, max] by masked rejection.</summary>
    private ulong Interval(ulong max)
    {
        if (max == 0) return 0;
        ulong mask = Mask(max), value;
        if (max <= uint.MaxValue)
            while ((value = _mt.NextUInt32() & mask) > max) { }
        else
            while ((value = _mt.NextUInt64() & mask) > max) { }
        return value;
    }

    /// <summary>NumPy's legacy <c>random_bounded_uint64_fill</c> with masked sampling, for one value on [0, rng].</summary>
    private ulong BoundedMasked(ulong rng)
    {
        if (rng == 0) return 0;
        if (rng == uint.MaxValue) return _mt.NextUInt32();
        if (rng == ulong.MaxValue) return _mt.NextUInt64();
        ulong mask = Mask(rng), value;
        if (rng < uint.MaxValue)
            while ((value = _mt.NextUInt32() & mask) > rng) { }
        else
            while ((value = _mt.NextUInt64() & mask) > rng) { }
        return value;
    }

    /// <summary>The smallest 2ᵏ − 1 that is ≥ <paramref name="max"/>.</summary>
    private static ulong Mask(ulong max)
    {
        ulong mask = max;
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4;
        mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32;
        return mask;
    }

    private static ulong CheckedIntRange(long low, long high)
    {
        if (low >= high) throw new ArgumentException($"randint: low ({low}) must be less than high ({high}).", nameof(high));
        return unchecked((ulong)(high - 1) - (ulong)low);
    }
}
