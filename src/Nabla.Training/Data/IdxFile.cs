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

    /// <summary>The largest element count read (2³¹ − 1 is the array limit; 1 GiB of doubles is plenty for image sets).</summary>
    public const long MaxElements = 1L << 27;

    /// <summary>
    /// Reads and validates <paramref name="path"/>: the magic number (two zero bytes, a known type code, 1–4 dimensions),
    /// positive sizes whose product is within <see cref="MaxElements"/>, and exactly as many data bytes as the header
    /// promises (more or fewer is an error naming both counts). The size is checked against the file before allocating;
    /// a gzip file's data is read incrementally, so a header that lies cannot make this allocate more than the data holds.
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
            if (count > MaxElements) throw new NablaException($"{path}: the header's sizes ({string.Join("x", dims.Take(d + 1))}…) exceed {MaxElements} elements");
        }
        long bytes = count * size, headerBytes = 4 + 4L * rank;
        if (fileLength is { } length && length - headerBytes != bytes)
            throw new NablaException($"{path}: the header promises {string.Join("x", dims)} elements of {size} byte(s) = {bytes} data bytes, but the file has {length - headerBytes}");
        var data = fileLength is null ? ReadIncrementally(stream, bytes, path) : new byte[bytes];
        if (fileLength is not null) stream.ReadExactly(data);
        var values = new double[count];
        for (long i = 0; i < count; i++)
        {
            var at = data.AsSpan((int)(i * size));
            values[i] = magic[2] switch
            {
                0x08 => at[0],
                0x09 => (sbyte)at[0],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(at),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(at),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(at),
                _ => BinaryPrimitives.ReadDoubleBigEndian(at),
            };
        }
        return new IdxFile(dims, values, magic[2]);
    }

    /// <summary>Exactly <paramref name="bytes"/> bytes from a stream of unknown length, growing the buffer only as data arrives.</summary>
    private static byte[] ReadIncrementally(Stream stream, long bytes, string path)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while (buffer.Length <= bytes && (n = stream.Read(chunk, 0, chunk.Length)) > 0) buffer.Write(chunk, 0, n);
        if (buffer.Length != bytes)
            throw new NablaException($"{path}: the header promises {bytes} data bytes, but the decompressed file has {(buffer.Length > bytes ? "more" : buffer.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        return buffer.ToArray();
    }
}
