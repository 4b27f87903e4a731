using System.Buffers.Binary;
using System.Text;

namespace Nabla.Tests.Serialization;

/// <summary>Builds safetensors files by hand from the format description, independently of the code under test.</summary>
internal static class SafetensorsBytes
{
    /// <summary>8-byte little-endian length of <paramref name="header"/> (as UTF-8), the header, then <paramref name="data"/>.</summary>
    public static byte[] File(string header, params byte[] data) => File(Encoding.UTF8.GetBytes(header), data);

    public static byte[] File(byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    public static byte[] F32(params float[] values) =>
        values.SelectMany(v => BitConverter.GetBytes(v)).ToArray();

    public static byte[] F64(params double[] values) =>
        values.SelectMany(v => BitConverter.GetBytes(v)).ToArray();
}
