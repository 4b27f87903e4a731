namespace Nabla.Serialization;

/// <summary>
/// Element types a safetensors file can declare, spelled as in the file's header (<c>"F32"</c>, <c>"BOOL"</c>, …).
/// Every type here can be read and converted to <see cref="double"/> or <see cref="float"/>;
/// <see cref="F64"/>, <see cref="F32"/> and <see cref="I64"/> can also be written from numbers.
/// </summary>
public enum SafeTensorDType
{
    /// <summary>One byte per element; 0 is false, anything else true.</summary>
    BOOL,
    /// <summary>Unsigned 8-bit integer.</summary>
    U8,
    /// <summary>Signed 8-bit integer.</summary>
    I8,
    /// <summary>Signed 16-bit integer, little-endian.</summary>
    I16,
    /// <summary>Unsigned 16-bit integer, little-endian.</summary>
    U16,
    /// <summary>IEEE 754 binary16, little-endian.</summary>
    F16,
    /// <summary>bfloat16 (the upper 16 bits of a binary32), little-endian.</summary>
    BF16,
    /// <summary>Signed 32-bit integer, little-endian.</summary>
    I32,
    /// <summary>Unsigned 32-bit integer, little-endian.</summary>
    U32,
    /// <summary>IEEE 754 binary32, little-endian.</summary>
    F32,
    /// <summary>IEEE 754 binary64, little-endian.</summary>
    F64,
    /// <summary>Signed 64-bit integer, little-endian.</summary>
    I64,
    /// <summary>Unsigned 64-bit integer, little-endian.</summary>
    U64,
}

/// <summary>Sizes and header spellings of <see cref="SafeTensorDType"/>.</summary>
public static class SafeTensorDTypes
{
    /// <summary>Bytes per element: 1 for BOOL/U8/I8, 2 for I16/U16/F16/BF16, 4 for I32/U32/F32, 8 for F64/I64/U64.</summary>
    public static int ElementSize(this SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.BOOL or SafeTensorDType.U8 or SafeTensorDType.I8 => 1,
        SafeTensorDType.I16 or SafeTensorDType.U16 or SafeTensorDType.F16 or SafeTensorDType.BF16 => 2,
        SafeTensorDType.I32 or SafeTensorDType.U32 or SafeTensorDType.F32 => 4,
        SafeTensorDType.F64 or SafeTensorDType.I64 or SafeTensorDType.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a safetensors dtype"),
    };

    /// <summary>The spelling in a header, e.g. <c>"F32"</c>.</summary>
    public static string HeaderName(this SafeTensorDType dtype) => dtype.ToString();

    /// <summary>
    /// Parses a header spelling, case-sensitively as the reference implementation does.
    /// Returns false for names this library does not know (for example <c>"F8_E4M3"</c>).
    /// </summary>
    public static bool TryParse(string name, out SafeTensorDType dtype)
    {
        foreach (var candidate in Enum.GetValues<SafeTensorDType>())
        {
            if (candidate.ToString() == name)
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    /// <summary>All known spellings, comma-separated, for error messages.</summary>
    public static string KnownNames => string.Join(", ", Enum.GetNames<SafeTensorDType>());
}
