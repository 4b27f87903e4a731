using Google.Protobuf;
using static Nabla.Onnx.ProtoFields;

namespace Nabla.Onnx;

// Field numbers are those of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto).

/// <summary>onnx.ModelProto: the file's top-level message.</summary>
internal sealed class ModelProto : ProtoMessage
{
    public long IrVersion { get; init; }
    public List<OperatorSetIdProto> OpsetImport { get; init; } = [];
    public string? ProducerName { get; init; }
    public string? ProducerVersion { get; init; }
    public string? DocString { get; init; }
    public required GraphProto Graph { get; init; }
    public List<StringStringEntryProto> MetadataProps { get; init; } = [];

    public override int Size =>
        Int64Size(1, IrVersion) + MessagesSize(8, OpsetImport) + StringSize(2, ProducerName) + StringSize(3, ProducerVersion)
        + StringSize(6, DocString) + MessageSize(7, Graph) + MessagesSize(14, MetadataProps);

    public override void WriteTo(CodedOutputStream output)
    {
        Int64(output, 1, IrVersion);
        String(output, 2, ProducerName);
        String(output, 3, ProducerVersion);
        String(output, 6, DocString);
        Message(output, 7, Graph);
        Messages(output, 8, OpsetImport);
        Messages(output, 14, MetadataProps);
    }
}

/// <summary>onnx.OperatorSetIdProto: an operator set the model uses ("" is the default ONNX domain).</summary>
internal sealed class OperatorSetIdProto(string domain, long version) : ProtoMessage
{
    public override int Size => StringSize(1, domain) + Int64Size(2, version);

    public override void WriteTo(CodedOutputStream output)
    {
        String(output, 1, domain);
        Int64(output, 2, version);
    }
}

/// <summary>onnx.StringStringEntryProto: one metadata key and its value.</summary>
internal sealed class StringStringEntryProto(string key, string value) : ProtoMessage
{
    public override int Size => StringSize(1, key) + StringSize(2, value);

    public override void WriteTo(CodedOutputStream output)
    {
        String(output, 1, key);
        String(output, 2, value);
    }
}

/// <summary>onnx.GraphProto: nodes in topological order, constant tensors, inputs and outputs.</summary>
internal sealed class GraphProto : ProtoMessage
{
    public List<NodeProto> Node { get; init; } = [];
    public required string Name { get; init; }
    public List<TensorProto> Initializer { get; init; } = [];
    public string? DocString { get; init; }
    public List<ValueInfoProto> Input { get; init; } = [];
    public List<ValueInfoProto> Output { get; init; } = [];

    public override int Size =>
        MessagesSize(1, Node) + StringSize(2, Name) + MessagesSize(5, Initializer) + StringSize(10, DocString)
        + MessagesSize(11, Input) + MessagesSize(12, Output);

    public override void WriteTo(CodedOutputStream output)
    {
        Messages(output, 1, Node);
        String(output, 2, Name);
        Messages(output, 5, Initializer);
        String(output, 10, DocString);
        Messages(output, 11, Input);
        Messages(output, 12, Output);
    }
}
