using System.Buffers.Binary;

namespace Nabla.Serialization;

/// <summary>
/// One named tensor as stored in a safetensors file: element type, shape (row-major, C order) and the raw
/// little-endian bytes. A tensor of shape [] is a scalar (one element); a dimension of 0 makes it empty.
/// The constructor checks that the byte length equals the element count × the element size.
/// </summary>
public sealed class SafeTensor
{
    private readonly int[] _shape;
    private readonly byte[] _data;

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the byte length does not match the shape.</exception>
    public SafeTensor(string name, SafeTensorDType dtype, int[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        var count = CountElements(shape);
        if (count * dtype.ElementSize() != data.Length)
            throw new ArgumentException(
                $"tensor \"{name}\": shape [{string.Join(", ", shape)}] of {dtype} needs {count * dtype.ElementSize()} bytes, got {data.Length}",
                nameof(data));
        Name = name;
        DType = dtype;
        _shape = (int[])shape.Clone();
        _data = data;
    }

    /// <summary>The tensor's name (its key in the file's header).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafeTensorDType DType { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The product of the dimensions (1 for shape []).</summary>
    public long ElementCount => _data.Length / DType.ElementSize();

    /// <summary>The raw little-endian bytes, exactly as they appear in the file.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>
    /// The elements converted to <see cref="double"/>: floating types exactly (F16, BF16 and F32 widen without
    /// rounding, NaN payloads kept as the hardware conversion keeps them), integers by value (I64/U64 beyond 2^53
    /// round to nearest), BOOL as 0 or 1.
    /// </summary>
    public double[] ToDoubleArray()
    {
        var result = new double[ElementCount];
        for (var i = 0; i < result.Length; i++) result[i] = ElementAsDouble(i);
        return result;
    }

    /// <summary>
    /// The elements converted to <see cref="float"/>: F32, F16 and BF16 exactly; F64 and integers round to nearest
    /// even; BOOL as 0 or 1.
    /// </summary>
    public float[] ToFloatArray()
    {
        var result = new float[ElementCount];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = DType switch
            {
                SafeTensorDType.F32 => BinaryPrimitives.ReadSingleLittleEndian(_data.AsSpan(i * 4)),
                SafeTensorDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(_data.AsSpan(i * 8)),
                SafeTensorDType.U64 => BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(i * 8)),
                _ => (float)ElementAsDouble(i),
            };
        }
        return result;
    }

    /// <summary>The elements of an integer or BOOL tensor as <see cref="long"/>.</summary>
    /// <exception cref="InvalidOperationException">The tensor holds floating-point or U64 elements.</exception>
    public long[] ToInt64Array()
    {
        if (DType is SafeTensorDType.F16 or SafeTensorDType.BF16 or SafeTensorDType.F32 or SafeTensorDType.F64 or SafeTensorDType.U64)
            throw new InvalidOperationException($"tensor \"{Name}\" holds {DType}, not signed integers that fit in 64 bits");
        var result = new long[ElementCount];
        for (var i = 0; i < result.Length; i++) result[i] = ToInt64At(i);
        return result;
    }

    /// <summary>
    /// A tensor of <paramref name="dtype"/> from doubles: F64 stores the bits unchanged (NaN payloads, −0.0 and
    /// subnormals survive); F32 rounds each value to nearest even; I64 requires every value to be an integer in
    /// the <see cref="long"/> range.
    /// </summary>
    /// <exception cref="ArgumentException">The element count does not match the shape, the dtype cannot be
    /// written from doubles, or an I64 value is not an integer.</exception>
    public static SafeTensor FromDoubles(string name, int[] shape, ReadOnlySpan<double> data, SafeTensorDType dtype = SafeTensorDType.F64)
    {
        CheckCount(name, shape, data.Length);
        var bytes = new byte[data.Length * dtype.ElementSize()];
        for (var i = 0; i < data.Length; i++)
        {
            switch (dtype)
            {
                case SafeTensorDType.F64:
                    BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), data[i]);
                    break;
                case SafeTensorDType.F32:
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), (float)data[i]);
                    break;
                case SafeTensorDType.I64:
                    var v = data[i];
                    if (v != Math.Floor(v) || v < -9.2233720368547758E18 || v >= 9.2233720368547758E18)
                        throw new ArgumentException($"tensor \"{name}\": element {i} = {v:R} is not an integer that fits in I64", nameof(data));
                    BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), (long)v);
                    break;
                default:
                    throw new ArgumentException($"tensor \"{name}\": writing {dtype} from doubles is not supported; use F64, F32 or I64", nameof(dtype));
            }
        }
        return new SafeTensor(name, dtype, shape, bytes);
    }

    /// <summary>An F32 tensor holding the bits of <paramref name="data"/> unchanged.</summary>
    public static SafeTensor FromFloats(string name, int[] shape, ReadOnlySpan<float> data)
    {
        CheckCount(name, shape, data.Length);
        var bytes = new byte[data.Length * 4];
        for (var i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
        return new SafeTensor(name, SafeTensorDType.F32, shape, bytes);
    }

    /// <summary>An I64 tensor holding <paramref name="data"/>.</summary>
    public static SafeTensor FromInt64s(string name, int[] shape, ReadOnlySpan<long> data)
    {
        CheckCount(name, shape, data.Length);
        var bytes = new byte[data.Length * 8];
        for (var i = 0; i < data.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), data[i]);
        return new SafeTensor(name, SafeTensorDType.I64, shape, bytes);
    }

    private double ElementAsDouble(int i)
    {
        var span = _data.AsSpan();
        return DType switch
        {
            SafeTensorDType.F64 => BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]),
            SafeTensorDType.F32 => BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]),
            SafeTensorDType.F16 => (double)BinaryPrimitives.ReadHalfLittleEndian(span[(i * 2)..]),
            SafeTensorDType.BF16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 2)..]) << 16),
            SafeTensorDType.U64 => BinaryPrimitives.ReadUInt64LittleEndian(span[(i * 8)..]),
            _ => ToInt64At(i),
        };
    }

    private long ToInt64At(int i)
    {
        var span = _data.AsSpan();
        return DType switch
        {
            SafeTensorDType.BOOL => span[i] != 0 ? 1 : 0,
            SafeTensorDType.U8 => span[i],
            SafeTensorDType.I8 => (sbyte)span[i],
            SafeTensorDType.I16 => BinaryPrimitives.ReadInt16LittleEndian(span[(i * 2)..]),
            SafeTensorDType.U16 => BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 2)..]),
            SafeTensorDType.I32 => BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]),
            SafeTensorDType.U32 => BinaryPrimitives.ReadUInt32LittleEndian(span[(i * 4)..]),
            SafeTensorDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(span[(i * 8)..]),
            _ => throw new InvalidOperationException($"unexpected dtype {DType}"),
        };
    }

    private static long CountElements(int[] shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"shape [{string.Join(", ", shape)}] has a negative dimension", nameof(shape));
            count = checked(count * d);
        }
        return count;
    }

    private static void CheckCount(string name, int[] shape, int length)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (CountElements(shape) != length)
            throw new ArgumentException($"tensor \"{name}\": shape [{string.Join(", ", shape)}] holds {CountElements(shape)} elements, got {length}");
    }
}
