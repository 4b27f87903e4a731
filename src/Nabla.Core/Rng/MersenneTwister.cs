namespace Nabla.Rng;

/// <summary>
/// The 32-bit Mersenne Twister MT19937 of Matsumoto and Nishimura (reference code mt19937ar.c, 2002):
/// 624 32-bit words of state and a position into them. This is the bit generator under NumPy's legacy
/// <c>RandomState</c>; <see cref="RandomState"/> builds NumPy's distributions on top of it.
/// </summary>
/// <remarks>Not thread-safe; <see cref="RandomState"/> serialises access to its instance.</remarks>
public sealed class MersenneTwister
{
    /// <summary>The number of 32-bit words of state (N in the reference code).</summary>
    public const int StateLength = 624;

    private const int M = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    private readonly uint[] _key = new uint[StateLength];
    private int _position = StateLength;

    /// <summary>Creates a generator seeded with <c>init_genrand(seed)</c>.</summary>
    public MersenneTwister(uint seed) => InitGenrand(seed);

    /// <summary>The index of the next state word to temper; <see cref="StateLength"/> means "regenerate first".</summary>
    public int Position => _position;

    /// <summary>The 624 state words (read-only view; the generator keeps ownership).</summary>
    public ReadOnlySpan<uint> Key => _key;

    /// <summary>
    /// Reference <c>init_genrand(s)</c>: key[0] = s; key[i] = 1812433253 · (key[i−1] ⊕ (key[i−1] ≫ 30)) + i (mod 2³²);
    /// position = 624. NumPy's <c>RandomState(n)</c> / <c>np.random.seed(n)</c> for an integer n uses exactly this.
    /// </summary>
    public void InitGenrand(uint seed)
    {
        _key[0] = seed;
        for (int i = 1; i < StateLength; i++)
        {
            uint prev = _key[i - 1];
            _key[i] = unchecked(1812433253U * (prev ^ (prev >> 30)) + (uint)i);
        }
        _position = StateLength;
    }

    /// <summary>
    /// Reference <c>init_by_array(init_key)</c>: <c>init_genrand(19650218)</c>, then two mixing passes over the key,
    /// then key[0] = 0x80000000. NumPy's <c>RandomState([k0, k1, …])</c> with a sequence of integers uses this.
    /// </summary>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public void InitByArray(ReadOnlySpan<uint> initKey)
    {
        if (initKey.IsEmpty) throw new ArgumentException("The seed key must not be empty.", nameof(initKey));
        InitGenrand(19650218U);
        int i = 1, j = 0;
        for (int k = Math.Max(StateLength, initKey.Length); k > 0; k--)
        {
            uint prev = _key[i - 1];
            _key[i] = unchecked((_key[i] ^ ((prev ^ (prev >> 30)) * 1664525U)) + initKey[j] + (uint)j);
            i++; j++;
            if (i >= StateLength) { _key[0] = _key[StateLength - 1]; i = 1; }
            if (j >= initKey.Length) j = 0;
        }
        for (int k = StateLength - 1; k > 0; k--)
        {
            uint prev = _key[i - 1];
            _key[i] = unchecked((_key[i] ^ ((prev ^ (prev >> 30)) * 1566083941U)) - (uint)i);
            i++;
            if (i >= StateLength) { _key[0] = _key[StateLength - 1]; i = 1; }
        }
        _key[0] = 0x80000000U;
        _position = StateLength;
    }

    /// <summary>Reference <c>genrand_int32()</c>: the next tempered 32-bit output, uniform on [0, 2³²).</summary>
    public uint NextUInt32()
    {
        if (_position >= StateLength) Regenerate();
        uint y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        return y;
    }

    /// <summary>NumPy's <c>mt19937_next64</c>: (first 32-bit draw ≪ 32) | second 32-bit draw.</summary>
    public ulong NextUInt64()
    {
        ulong high = NextUInt32();
        return (high << 32) | NextUInt32();
    }

    /// <summary>
    /// NumPy's <c>mt19937_next_double</c> (= reference <c>genrand_res53</c>): a = draw ≫ 5, b = draw ≫ 6,
    /// (a · 67108864 + b) / 9007199254740992, a double with 53 random bits, uniform on [0, 1).
    /// </summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>Copies the state words and position out, for checkpoints.</summary>
    internal (uint[] Key, int Position) Save() => ((uint[])_key.Clone(), _position);

    /// <summary>Restores state words and position saved by <see cref="Save"/> (already validated by the caller).</summary>
    internal void Restore(ReadOnlySpan<uint> key, int position)
    {
        key.CopyTo(_key);
        _position = position;
    }

    private void Regenerate()
    {
        int k = 0;
        for (; k < StateLength - M; k++)
            _key[k] = _key[k + M] ^ Twist(_key[k], _key[k + 1]);
        for (; k < StateLength - 1; k++)
            _key[k] = _key[k + M - StateLength] ^ Twist(_key[k], _key[k + 1]);
        _key[StateLength - 1] = _key[M - 1] ^ Twist(_key[StateLength - 1], _key[0]);
        _position = 0;
    }

    private static uint Twist(uint current, uint next)
    {
        uint y = (current & UpperMask) | (next & LowerMask);
        return (y >> 1) ^ ((y & 1U) != 0 ? MatrixA : 0U);
    }
}
