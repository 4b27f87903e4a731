using System.Buffers.Binary;

namespace Nabla.Rng;

/// <summary>
/// The complete state of a <see cref="RandomState"/>, the counterpart of NumPy's
/// <c>get_state()</c> tuple ('MT19937', key, pos, has_gauss, cached_gaussian). Restoring it with
/// <see cref="RandomState.SetState"/> continues the sequence bit for bit, so training can checkpoint and resume.
/// </summary>
public sealed class RandomStateSnapshot : IEquatable<RandomStateSnapshot>
{
    private const string TextPrefix = "MT19937:";
    private static ReadOnlySpan<byte> Magic => "NMT1"u8;

    /// <summary>The serialised size in bytes: magic (4) + 624 little-endian words + position (4) + has_gauss (1) + cached Gaussian (8).</summary>
    public const int ByteLength = 4 + 4 * MersenneTwister.StateLength + 4 + 1 + 8;

    private readonly uint[] _key;

    /// <summary>Creates a snapshot; the key is copied.</summary>
    /// <exception cref="NablaException">The key does not have 624 words or the position is outside [0, 624].</exception>
    public RandomStateSnapshot(ReadOnlySpan<uint> key, int position, bool hasGauss, double cachedGaussian)
    {
        if (key.Length != MersenneTwister.StateLength)
            throw new NablaException($"An MT19937 state has {MersenneTwister.StateLength} key words, not {key.Length}.");
        if (position is < 0 or > MersenneTwister.StateLength)
            throw new NablaException($"An MT19937 position must be in [0, {MersenneTwister.StateLength}], not {position}.");
        _key = key.ToArray();
        Position = position;
        HasGauss = hasGauss;
        CachedGaussian = hasGauss ? cachedGaussian : 0.0;
    }

    /// <summary>The 624 MT19937 state words (NumPy's <c>key</c>).</summary>
    public ReadOnlySpan<uint> Key => _key;

    /// <summary>The index of the next word to temper (NumPy's <c>pos</c>); 624 means the words regenerate on the next draw.</summary>
    public int Position { get; }

    /// <summary>Whether a second polar-method Gaussian is cached (NumPy's <c>has_gauss</c>).</summary>
    public bool HasGauss { get; }

    /// <summary>The cached Gaussian returned by the next normal draw when <see cref="HasGauss"/>; 0 otherwise.</summary>
    public double CachedGaussian { get; }

    /// <summary>The state as <see cref="ByteLength"/> bytes: "NMT1", key words, position, has_gauss, cached Gaussian bits, all little-endian.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        Magic.CopyTo(bytes);
        int at = 4;
        foreach (uint word in _key) { BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), word); at += 4; }
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), Position); at += 4;
        bytes[at++] = HasGauss ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at), CachedGaussian);
        return bytes;
    }

    /// <summary>Reads bytes written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="NablaException">The bytes are not a serialised state.</exception>
    public static RandomStateSnapshot FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength || !bytes[..4].SequenceEqual(Magic))
            throw new NablaException($"Not a saved random state: expected {ByteLength} bytes starting with \"NMT1\", got {bytes.Length} bytes.");
        var key = new uint[MersenneTwister.StateLength];
        int at = 4;
        for (int i = 0; i < key.Length; i++, at += 4) key[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);
        int position = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]); at += 4;
        byte hasGauss = bytes[at++];
        if (hasGauss > 1) throw new NablaException($"Not a saved random state: has_gauss byte is {hasGauss}, not 0 or 1.");
        double gauss = BinaryPrimitives.ReadDoubleLittleEndian(bytes[at..]);
        return new RandomStateSnapshot(key, position, hasGauss == 1, gauss);
    }

    /// <summary>The state as text: "MT19937:" followed by the Base64 of <see cref="ToBytes"/>.</summary>
    public override string ToString() => TextPrefix + Convert.ToBase64String(ToBytes());

    /// <summary>Reads text written by <see cref="ToString"/>.</summary>
    /// <exception cref="NablaException">The text is not a serialised state.</exception>
    public static RandomStateSnapshot Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(TextPrefix, StringComparison.Ordinal))
            throw new NablaException($"Not a saved random state: text must start with \"{TextPrefix}\".");
        byte[] bytes;
        try { bytes = Convert.FromBase64String(text[TextPrefix.Length..].Trim()); }
        catch (FormatException e) { throw new NablaException("Not a saved random state: the text after \"MT19937:\" is not Base64.", e); }
        return FromBytes(bytes);
    }

    /// <summary>True when key, position, has_gauss and the cached Gaussian's bits are all equal.</summary>
    public bool Equals(RandomStateSnapshot? other) =>
        other is not null && _key.AsSpan().SequenceEqual(other._key) && Position == other.Position && HasGauss == other.HasGauss
        && BitConverter.DoubleToInt64Bits(CachedGaussian) == BitConverter.DoubleToInt64Bits(other.CachedGaussian);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RandomStateSnapshot);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_key[0], _key[^1], Position, HasGauss, CachedGaussian);
}

public sealed partial class RandomState
{
    /// <summary>Like <c>get_state()</c>: a copy of the key words, position and Gaussian cache.</summary>
    public RandomStateSnapshot GetState()
    {
        lock (_sync)
        {
            var (key, position) = _mt.Save();
            return new RandomStateSnapshot(key, position, _hasGauss, _gauss);
        }
    }

    /// <summary>Like <c>set_state(state)</c>: every later draw continues exactly as after the snapshot was taken.</summary>
    public void SetState(RandomStateSnapshot state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_sync)
        {
            _mt.Restore(state.Key, state.Position);
            _hasGauss = state.HasGauss;
            _gauss = state.CachedGaussian;
        }
    }
}
