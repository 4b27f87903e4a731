using System.Text.Json;
using Nabla.IO;

namespace Nabla.Serialization;

/// <summary>
/// Parses and validates a safetensors header before any tensor is trusted. Every violation is a
/// <see cref="NablaException"/> whose message starts with the source name and says what is wrong.
/// </summary>
internal static class SafetensorsHeaderReader
{
    /// <summary>One header entry, checked on its own (dtype known, shape non-negative, offsets inside the buffer
    /// and matching shape × element size).</summary>
    internal readonly record struct Entry(string Name, SafeTensorDType DType, int[] Shape, long Begin, long End);

    /// <summary>
    /// Parses <paramref name="header"/> (the N bytes after the length prefix), checks every entry against a data
    /// buffer of <paramref name="dataLength"/> bytes, and checks that the entries cover the buffer exactly once
    /// (no overlap, no gap, no trailing bytes). Returns the entries sorted by offset, and the metadata.
    /// </summary>
    public static (List<Entry> Entries, Dictionary<string, string> Metadata) Parse(ReadOnlySpan<byte> header, long dataLength, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new NablaException($"{source}: the safetensors header is not valid JSON ({ex.Message})", ex);
        }
        try
        {
            JsonStrings.Validate(header, source, "the safetensors header");
        }
        catch
        {
            document.Dispose();
            throw;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new NablaException($"{source}: the safetensors header is a JSON {Kind(root)}, not an object");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new NablaException($"{source}: the name \"{Excerpt.Of(property.Name)}\" appears more than once in the safetensors header");
                if (property.Name == "__metadata__")
                    ReadMetadata(property.Value, metadata, source);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, dataLength, source));
            }
            CheckCoverage(entries, dataLength, source);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new NablaException($"{source}: \"__metadata__\" is a JSON {Kind(value)}, not an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new NablaException($"{source}: metadata \"{Excerpt.Of(item.Name)}\" is a JSON {Kind(item.Value)}; metadata values must be strings");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new NablaException($"{source}: metadata key \"{Excerpt.Of(item.Name)}\" appears more than once");
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, long dataLength, string source)
    {
        var where = $"{source}: tensor \"{Excerpt.Of(name)}\"";
        if (value.ValueKind != JsonValueKind.Object)
            throw new NablaException($"{where}: its header entry is a JSON {Kind(value)}, not an object with dtype, shape and data_offsets");
        var dtypeText = Field(value, "dtype", JsonValueKind.String, where).GetString()!;
        if (!SafeTensorDTypes.TryParse(dtypeText, out var dtype))
            throw new NablaException($"{where}: unknown dtype \"{Excerpt.Of(dtypeText)}\" (known: {SafeTensorDTypes.KnownNames})");

        var shapeElement = Field(value, "shape", JsonValueKind.Array, where);
        var shape = new int[shapeElement.GetArrayLength()];
        long count = 1;
        var i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var d))
                throw new NablaException($"{where}: shape entry {i} is {Excerpt.Of(dim.GetRawText())}, not an integer");
            if (d < 0)
                throw new NablaException($"{where}: shape has a negative dimension {d} at position {i}");
            if (d > int.MaxValue)
                throw new NablaException($"{where}: shape dimension {d} at position {i} is larger than {int.MaxValue}");
            shape[i++] = (int)d;
            count = d == 0 || count == 0 ? 0 : count > Array.MaxLength / d ? long.MaxValue : count * d;
        }
        var shapeText = $"[{string.Join(", ", shape)}]";
        if (count == long.MaxValue || count > Array.MaxLength / dtype.ElementSize())
            throw new NablaException($"{where}: shape {shapeText} of {dtype} is too large to load");

        var offsets = Field(value, "data_offsets", JsonValueKind.Array, where);
        if (offsets.GetArrayLength() != 2)
            throw new NablaException($"{where}: data_offsets must be [begin, end], got {Excerpt.Of(offsets.GetRawText())}");
        var begin = Offset(offsets[0], "begin", where);
        var end = Offset(offsets[1], "end", where);
        if (end < begin)
            throw new NablaException($"{where}: data_offsets [{begin}, {end}] end before they begin");
        if (end > dataLength)
            throw new NablaException($"{where}: data_offsets [{begin}, {end}] lie outside the data buffer, which holds {dataLength} bytes");
        var expected = count * dtype.ElementSize();
        if (end - begin != expected)
            throw new NablaException(
                $"{where}: shape {shapeText} of {dtype} needs {count} × {dtype.ElementSize()} = {expected} bytes, but data_offsets [{begin}, {end}] span {end - begin}");
        return new Entry(name, dtype, shape, begin, end);
    }

    /// <summary>Sorts <paramref name="entries"/> by offset and requires that they tile [0, dataLength) exactly.</summary>
    private static void CheckCoverage(List<Entry> entries, long dataLength, string source)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long position = 0;
        Entry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Begin < position)
                throw new NablaException(
                    $"{source}: tensors \"{previous!.Value.Name}\" [{previous.Value.Begin}, {previous.Value.End}) and \"{entry.Name}\" [{entry.Begin}, {entry.End}) overlap in the data buffer");
            if (entry.Begin > position)
                throw new NablaException(
                    $"{source}: bytes [{position}, {entry.Begin}) of the data buffer belong to no tensor (a gap before \"{entry.Name}\"); safetensors data must be contiguous");
            position = entry.End;
            previous = entry;
        }
        if (position != dataLength)
            throw new NablaException(
                $"{source}: {dataLength - position} trailing bytes after the last tensor (the tensors end at byte {position} of a {dataLength}-byte data buffer)");
    }

    private static JsonElement Field(JsonElement entry, string field, JsonValueKind kind, string where)
    {
        if (!entry.TryGetProperty(field, out var value))
            throw new NablaException($"{where}: the header entry has no \"{field}\"");
        if (value.ValueKind != kind)
            throw new NablaException($"{where}: \"{field}\" is a JSON {Kind(value)}, expected a {kind.ToString().ToLowerInvariant()}");
        return value;
    }

    private static long Offset(JsonElement value, string which, string where)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var offset) || offset < 0)
            throw new NablaException($"{where}: data_offsets {which} is {Excerpt.Of(value.GetRawText())}, not a non-negative integer");
        return offset;
    }

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();
}
