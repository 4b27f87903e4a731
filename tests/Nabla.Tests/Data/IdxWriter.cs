using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.Tests.Data;

/// <summary>Writes IDX files byte by byte from the format's definition (big-endian sizes after a 4-byte magic number).</summary>
public static class IdxWriter
{
    public static byte[] Bytes(byte type, int[] dims, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(b, d);
            bytes.AddRange(b);
        }
        bytes.AddRange(data);
        return [.. bytes];
    }

    public static string Write(string path, byte[] bytes, bool gzip = false)
    {
        if (!gzip) { File.WriteAllBytes(path, bytes); return path; }
        using var file = File.Create(path);
        using var z = new GZipStream(file, CompressionLevel.Fastest);
        z.Write(bytes);
        return path;
    }

    /// <summary>
    /// <paramref name="count"/> 8×8 unsigned-byte images of a bright bar on a dark background at a random place —
    /// vertical for label 0, horizontal for label 1 — written as an images file and a labels file.
    /// </summary>
    public static (string Images, string Labels) Bars(string dir, string prefix, int count, int seed, bool gzip = false)
    {
        var random = new Random(seed);
        var pixels = new byte[count * 64];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(2);
            int at = random.Next(8), from = random.Next(4);
            for (int k = 0; k < 4; k++)
            {
                int row = labels[i] == 0 ? from + k : at, column = labels[i] == 0 ? at : from + k;
                pixels[i * 64 + row * 8 + column] = (byte)(200 + random.Next(56));
            }
            for (int p = 0; p < 64; p++) pixels[i * 64 + p] = (byte)Math.Min(255, pixels[i * 64 + p] + random.Next(30));
        }
        string suffix = gzip ? ".gz" : "";
        return (Write(Path.Combine(dir, $"{prefix}-images-idx3-ubyte{suffix}"), Bytes(0x08, [count, 8, 8], pixels), gzip),
            Write(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte{suffix}"), Bytes(0x08, [count], labels), gzip));
    }
}
