using Google.Protobuf;
using static Nabla.Onnx.ProtoFields;

namespace Nabla.Onnx;

/// <summary>onnx.NodeProto: one operator call, naming the values it reads and writes.</summary>
internal sealed class NodeProto : ProtoMessage
{
    public required string OpType { get; init; }
    public required string Name { get; init; }
    public required List<string> Input { get; init; }
    public required List<string> Output { get; init; }
    public List<AttributeProto> Attribute { get; init; } = [];

    public override int Size =>
        StringsSize(1, Input) + StringsSize(2, Output) + StringSize(3, Name) + StringSize(4, OpType) + MessagesSize(5, Attribute);

    public override void WriteTo(CodedOutputStream output)
    {
        Strings(output, 1, Input);
        Strings(output, 2, Output);
        String(output, 3, Name);
        String(output, 4, OpType);
        Messages(output, 5, Attribute);
    }
}

/// <summary>onnx.AttributeProto holding one integer (type INT = 2), one float (FLOAT = 1) or a list of integers (INTS = 7).</summary>
internal sealed class AttributeProto : ProtoMessage
{
    private const int FloatType = 1, IntType = 2, IntsType = 7;
    private readonly string _name;
    private readonly int _type;
    private readonly long _int;
    private readonly float _float;
    private readonly long[] _ints = [];

    public AttributeProto(string name, long value) => (_name, _type, _int) = (name, IntType, value);

    public AttributeProto(string name, float value) => (_name, _type, _float) = (name, FloatType, value);

    public AttributeProto(string name, long[] values) => (_name, _type, _ints) = (name, IntsType, values);

    public override int Size => StringSize(1, _name) + Int64Size(20, _type) + _type switch
    {
        IntType => Int64Size(3, _int),
        FloatType => CodedOutputStream.ComputeTagSize(2) + 4,
        _ => Int64sSize(8, _ints),
    };

    public override void WriteTo(CodedOutputStream output)
    {
        String(output, 1, _name);
        if (_type == FloatType)
        {
            output.WriteTag(2, WireFormat.WireType.Fixed32);
            output.WriteFloat(_float);
        }
        if (_type == IntType) Int64(output, 3, _int);
        if (_type == IntsType) Int64s(output, 8, _ints);
        Int64(output, 20, _type);
    }
}
