using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.Data;

/// <summary>
/// An array read from an IDX file (the format of MNIST's <c>train-images-idx3-ubyte</c> and friends), gzip-compressed
/// or not: its dimensions and its values as doubles, row-major.
/// </summary>
public sealed class IdxFile
{
    private IdxFile(int[] dimensions, double[] values, byte typeCode)
    {
        Dimensions = dimensions;
        Values = values;
        TypeCode = typeCode;
    }

    /// <summary>The sizes, outermost first (for MNIST images: count, rows, columns).</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>Every element converted to double, row-major.</summary>
    public double[] Values { get; }

    /// <summary>The element type code from the header: 0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.</summary>
    public byte TypeCode { get; }

    /// <summary>
    /// The largest element count read (<see cref="Limits.MaxIdxElements"/>, 67 108 864: 512 MiB of doubles, more than
    /// MNIST's 47 040 000 training pixels).
    /// </summary>
    public const long MaxElements = Limits.MaxIdxElements;

    /// <summary>
    /// Reads and validates <paramref name="path"/>: the magic number (two zero bytes, a known type code, 1–4 dimensions),
    /// positive sizes whose product is within <see cref="MaxElements"/>, and exactly as many data bytes as the header
    /// promises (more or fewer is an error naming both counts), and every float32 or float64 element finite (NaN or ±∞
    /// is an error naming its position). The size is checked against the file before allocating; a gzip file's data is
    /// decoded as it arrives into an array grown by doubling, so a header that lies cannot make this allocate more than
    /// about twice what the data holds, and no byte copy of the whole data is kept.
    /// </summary>
    public static IdxFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new NablaException($"{path}: no such IDX file");
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> sniff = stackalloc byte[2];
            int got = file.ReadAtLeast(sniff, 2, throwOnEndOfStream: false);
            file.Position = 0;
            bool gzip = got == 2 && sniff[0] == 0x1F && sniff[1] == 0x8B;
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            return Read(stream, path, gzip ? null : file.Length);
        }
        catch (InvalidDataException e) { throw new NablaException($"{path}: not a valid gzip file ({e.Message})", e); }
        catch (IOException e) { throw new NablaException($"{path}: cannot read ({e.Message})", e); }
        catch (UnauthorizedAccessException e) { throw new NablaException($"{path}: cannot read ({e.Message})", e); }
    }

    private static IdxFile Read(Stream stream, string path, long? fileLength)
    {
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4)
            throw new NablaException($"{path}: too short for an IDX header (needs at least 4 bytes)");
        int size = magic[2] switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => 0 };
        if (magic[0] != 0 || magic[1] != 0 || size == 0 || magic[3] is < 1 or > 4)
            throw new NablaException($"{path}: not an IDX file (magic bytes {Convert.ToHexString(magic)}; expected 0000, a type code 08/09/0B/0C/0D/0E and 1 to 4 dimensions)");
        int rank = magic[3];
        var header = new byte[4 * rank];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            throw new NablaException($"{path}: the header ends before its {rank} dimension sizes");
        var dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * d));
            if (dims[d] < 0) throw new NablaException($"{path}: dimension {d} has a negative size {dims[d]}");
            count *= dims[d];
            if (count > MaxElements) throw new NablaException($"{path}: the header's sizes ({string.Join("x", dims.Take(d + 1))}…) exceed the limit of {MaxElements:N0} elements (see docs/limits.md)");
        }
        long bytes = count * size, headerBytes = 4 + 4L * rank;
        if (fileLength is { } length && length - headerBytes != bytes)
            throw new NablaException($"{path}: the header promises {string.Join("x", dims)} elements of {size} byte(s) = {bytes} data bytes, but the file has {length - headerBytes}");
        var values = Decode(stream, count, size, magic[2], path, grow: fileLength is null);
        if (magic[2] is 0x0D or 0x0E) CheckFinite(values, dims, path);
        return new IdxFile(dims, values, magic[2]);
    }

    /// <summary>
    /// Exactly <paramref name="count"/> elements of <paramref name="size"/> bytes decoded from the stream a chunk at a
    /// time; with <paramref name="grow"/> (a gzip stream, whose length is unknown) the array starts small and doubles as
    /// data arrives. Fewer or more bytes than promised is an error naming both counts.
    /// </summary>
    private static double[] Decode(Stream stream, long count, int size, byte type, string path, bool grow)
    {
        var values = new double[grow ? Math.Min(count, 1 << 16) : count];
        var chunk = new byte[size * 8192];
        long read = 0;
        int pending = 0, n;
        while (read < count && (n = stream.Read(chunk, pending, chunk.Length - pending)) > 0)
        {
            pending += n;
            int whole = (int)Math.Min(pending / size, count - read);
            if (read + whole > values.Length) Array.Resize(ref values, (int)Math.Min(count, Math.Max(read + whole, 2L * values.Length)));
            for (int i = 0; i < whole; i++) values[read + i] = Element(chunk.AsSpan(i * size, size), type);
            read += whole;
            int used = whole * size;
            chunk.AsSpan(used, pending - used).CopyTo(chunk);
            pending -= used;
        }
        long bytes = count * size, got = read * size + pending;
        if (got < bytes)
            throw new NablaException($"{path}: the header promises {bytes} data bytes, but the {(grow ? "decompressed " : "")}file has {got}");
        if (pending > 0 || stream.ReadByte() >= 0)
            throw new NablaException($"{path}: the header promises {bytes} data bytes, but the {(grow ? "decompressed " : "")}file has more");
        return values;
    }

    private static double Element(ReadOnlySpan<byte> at, byte type) => type switch
    {
        0x08 => at[0],
        0x09 => (sbyte)at[0],
        0x0B => BinaryPrimitives.ReadInt16BigEndian(at),
        0x0C => BinaryPrimitives.ReadInt32BigEndian(at),
        0x0D => BinaryPrimitives.ReadSingleBigEndian(at),
        _ => BinaryPrimitives.ReadDoubleBigEndian(at),
    };

    /// <summary>Refuses NaN and ±∞, naming the first such element by its index along every dimension.</summary>
    private static void CheckFinite(double[] values, int[] dims, string path)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsFinite(values[i])) continue;
            var index = new long[dims.Length];
            long rest = i;
            for (int d = dims.Length - 1; d >= 0; d--) (index[d], rest) = (rest % dims[d], rest / dims[d]);
            throw new NablaException(
                $"{path}: element [{string.Join(", ", index)}] is {values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; IDX data must be finite numbers");
        }
    }
}
