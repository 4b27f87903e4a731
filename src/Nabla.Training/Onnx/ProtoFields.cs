using Google.Protobuf;

namespace Nabla.Onnx;

/// <summary>
/// A protobuf message that knows its encoded size and writes itself field by field. The ONNX messages are
/// written by hand (no protoc at build time), so only the fields Nabla sets exist.
/// </summary>
internal abstract class ProtoMessage
{
    /// <summary>The encoded length in bytes; a parent needs it before writing the message's length prefix.</summary>
    public abstract int Size { get; }

    /// <summary>Writes the message's fields, without a tag or length prefix.</summary>
    public abstract void WriteTo(CodedOutputStream output);

    /// <summary>The encoded message.</summary>
    public byte[] ToByteArray()
    {
        var bytes = new byte[Size];
        var output = new CodedOutputStream(bytes);
        WriteTo(output);
        output.CheckNoSpaceLeft();   // a size that disagrees with what was written is a bug, not a file
        return bytes;
    }
}

/// <summary>Size and write of one field, in the encoding the ONNX schema (proto2) declares for it.</summary>
internal static class ProtoFields
{
    private static int Tag(int field) => CodedOutputStream.ComputeTagSize(field);

    public static int StringSize(int field, string? value) =>
        value is null ? 0 : Tag(field) + CodedOutputStream.ComputeStringSize(value);

    public static void String(CodedOutputStream output, int field, string? value)
    {
        if (value is null) return;
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    /// <summary>A repeated string field: every item is written, empty ones too (an empty node input means "absent").</summary>
    public static int StringsSize(int field, IReadOnlyList<string> values) =>
        values.Sum(v => Tag(field) + CodedOutputStream.ComputeStringSize(v));

    public static void Strings(CodedOutputStream output, int field, IReadOnlyList<string> values)
    {
        foreach (var v in values)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteString(v);
        }
    }

    public static int Int64Size(int field, long value) => Tag(field) + CodedOutputStream.ComputeInt64Size(value);

    public static void Int64(CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }

    /// <summary>A repeated int64 field written unpacked, one tag per item, as onnx.proto declares dims and ints.</summary>
    public static int Int64sSize(int field, IReadOnlyList<long> values) => values.Sum(v => Int64Size(field, v));

    public static void Int64s(CodedOutputStream output, int field, IReadOnlyList<long> values)
    {
        foreach (var v in values) Int64(output, field, v);
    }

    public static int BytesSize(int field, ReadOnlyMemory<byte> value) =>
        Tag(field) + CodedOutputStream.ComputeLengthSize(value.Length) + value.Length;

    public static void Bytes(CodedOutputStream output, int field, ReadOnlyMemory<byte> value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(value));   // no copy of a large weight tensor
    }

    public static int MessageSize(int field, ProtoMessage? message)
    {
        if (message is null) return 0;
        int size = message.Size;
        return Tag(field) + CodedOutputStream.ComputeLengthSize(size) + size;
    }

    public static void Message(CodedOutputStream output, int field, ProtoMessage? message)
    {
        if (message is null) return;
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(message.Size);
        message.WriteTo(output);
    }

    public static int MessagesSize(int field, IEnumerable<ProtoMessage> messages) => messages.Sum(m => MessageSize(field, m));

    public static void Messages(CodedOutputStream output, int field, IEnumerable<ProtoMessage> messages)
    {
        foreach (var m in messages) Message(output, field, m);
    }
}
