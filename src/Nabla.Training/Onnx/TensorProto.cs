using System.Text;
using Google.Protobuf;
using static Nabla.Onnx.ProtoFields;

namespace Nabla.Onnx;

/// <summary>The element types of onnx.TensorProto.DataType that the exported graphs use.</summary>
internal enum OnnxDataType
{
    Float = 1,
    Int64 = 7,
    String = 8,
    Double = 11,
}

/// <summary>
/// onnx.TensorProto: a named constant. Numbers travel as little-endian <c>raw_data</c>; strings as UTF-8
/// <c>string_data</c> items (raw_data cannot hold strings).
/// </summary>
internal sealed class TensorProto : ProtoMessage
{
    public required string Name { get; init; }
    public required OnnxDataType DataType { get; init; }
    public required long[] Dims { get; init; }
    public ReadOnlyMemory<byte> RawData { get; init; }
    public List<byte[]> StringData { get; init; } = [];

    public override int Size =>
        Int64sSize(1, Dims) + Int64Size(2, (long)DataType) + StringData.Sum(s => BytesSize(6, s)) + StringSize(8, Name)
        + (DataType == OnnxDataType.String ? 0 : BytesSize(9, RawData));

    public override void WriteTo(CodedOutputStream output)
    {
        Int64s(output, 1, Dims);
        Int64(output, 2, (long)DataType);
        foreach (var s in StringData) Bytes(output, 6, s);
        String(output, 8, Name);
        if (DataType != OnnxDataType.String) Bytes(output, 9, RawData);
    }

    /// <summary>A 1-d string tensor, one UTF-8 item per string.</summary>
    public static TensorProto Strings(string name, IReadOnlyList<string> values) => new()
    {
        Name = name, DataType = OnnxDataType.String, Dims = [values.Count],
        StringData = [.. values.Select(Encoding.UTF8.GetBytes)],
    };
}

/// <summary>A tensor dimension: a fixed size, or a name for a size known only at run time (such as the row count).</summary>
internal readonly record struct OnnxDim(long Value, string? Param)
{
    public static implicit operator OnnxDim(long value) => new(value, null);

    public static implicit operator OnnxDim(string param) => new(0, param);
}

/// <summary>onnx.ValueInfoProto with a tensor type: a graph input's or output's name, element type and shape.</summary>
/// <param name="Name">The value's name.</param>
/// <param name="ElementType">Its element type.</param>
/// <param name="Dims">Its shape, each dimension fixed or named.</param>
/// <param name="DocString">What the value means, for a reader of the file.</param>
internal sealed class ValueInfoProto(string Name, OnnxDataType ElementType, OnnxDim[] Dims, string? DocString = null) : ProtoMessage
{
    // TypeProto { tensor_type = 1: TypeProto.Tensor { elem_type = 1, shape = 2: TensorShapeProto { dim = 1 } } }
    private readonly TensorType _type = new(ElementType, new Shape(Dims));

    public override int Size => StringSize(1, Name) + MessageSize(2, _type) + StringSize(3, DocString);

    public override void WriteTo(CodedOutputStream output)
    {
        String(output, 1, Name);
        Message(output, 2, _type);
        String(output, 3, DocString);
    }

    /// <summary>onnx.TypeProto whose value is a tensor type (field 1, TypeProto.Tensor).</summary>
    private sealed class TensorType(OnnxDataType elementType, Shape shape) : ProtoMessage
    {
        private readonly Tensor _tensor = new(elementType, shape);

        public override int Size => MessageSize(1, _tensor);

        public override void WriteTo(CodedOutputStream output) => Message(output, 1, _tensor);
    }

    private sealed class Tensor(OnnxDataType elementType, Shape shape) : ProtoMessage
    {
        public override int Size => Int64Size(1, (long)elementType) + MessageSize(2, shape);

        public override void WriteTo(CodedOutputStream output)
        {
            Int64(output, 1, (long)elementType);
            Message(output, 2, shape);
        }
    }

    private sealed class Shape(OnnxDim[] dims) : ProtoMessage
    {
        private readonly Dimension[] _dims = [.. dims.Select(d => new Dimension(d))];

        public override int Size => MessagesSize(1, _dims);

        public override void WriteTo(CodedOutputStream output) => Messages(output, 1, _dims);
    }

    /// <summary>TensorShapeProto.Dimension: dim_value = 1 or dim_param = 2.</summary>
    private sealed class Dimension(OnnxDim dim) : ProtoMessage
    {
        public override int Size => dim.Param is { } name ? StringSize(2, name) : Int64Size(1, dim.Value);

        public override void WriteTo(CodedOutputStream output)
        {
            if (dim.Param is { } name) String(output, 2, name);
            else Int64(output, 1, dim.Value);
        }
    }
}
