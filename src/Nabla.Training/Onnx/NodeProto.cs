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

/// <summary>onnx.AttributeProto holding one integer (type INT = 2), the only kind the exported graphs need.</summary>
internal sealed class AttributeProto(string name, long value) : ProtoMessage
{
    private const int IntType = 2;

    public override int Size => StringSize(1, name) + Int64Size(3, value) + Int64Size(20, IntType);

    public override void WriteTo(CodedOutputStream output)
    {
        String(output, 1, name);
        Int64(output, 3, value);
        Int64(output, 20, IntType);
    }
}
