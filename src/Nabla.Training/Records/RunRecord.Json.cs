using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.IO;
using Nabla.Serialization;
using Nabla.Training;

namespace Nabla.Records;

public sealed partial record RunRecord
{
    /// <summary>
    /// The serializer options of run files: camelCase names, <c>task</c> as "classification" / "regression",
    /// null for absent optional values, non-finite numbers as the strings "NaN", "Infinity", "-Infinity",
    /// and nullable annotations respected (a required property given as null is an error).
    /// </summary>
    public static JsonSerializerOptions JsonOptions => NablaJsonContext.Default.Options;

    /// <summary>Reads and validates the run file at <paramref name="path"/>.</summary>
    /// <exception cref="NablaException">
    /// The file is missing or unreadable, is not JSON, is not a version-1 Nabla run file, or its contents
    /// contradict each other (a shape that does not match <c>settings.layers</c>, a grid whose value count is
    /// not nx·ny, …); the message names the file, the place in it and the problem.
    /// </exception>
    public static RunRecord Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new NablaException($"{path}: no such run file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new NablaException($"{path}: no such run file (its directory does not exist)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NablaException($"{path}: cannot read the run file: {e.Message}", e);
        }
        // Checked on the bytes: decoding first would turn invalid UTF-8 into U+FFFD silently.
        var utf8 = bytes.AsSpan(bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0);
        JsonStrings.Validate(utf8, path, "run file");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw new NablaException($"{path}: the run file is not valid UTF-8");
        }
        return Parse(text, path);
    }

    /// <summary>Parses and validates a run file's text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="NablaException">As for <see cref="Load"/>.</exception>
    public static RunRecord Parse(string json, string source = "run file")
    {
        ArgumentNullException.ThrowIfNull(json);
        CheckHeader(json, source);
        JsonStrings.Validate(json, source, "run file");
        RunRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(json, NablaJsonContext.Default.RunRecord);
        }
        catch (JsonException e)
        {
            throw new NablaException($"{source}: not a valid run file: {Describe(e)}", e);
        }
        if (record is null) throw new NablaException($"{source}: not a valid run file: the document is null");
        RunRecordValidator.Validate(record, source);
        return record;
    }

    /// <summary>This record as run-file JSON (compact, UTF-8 when written).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, NablaJsonContext.Default.RunRecord);

    /// <summary>Validates this record and replaces <paramref name="path"/> with it, atomically.</summary>
    /// <exception cref="NablaException">The record is inconsistent (as <see cref="Load"/> would report), or the directory does not exist.</exception>
    public void Save(string path)
    {
        RunRecordValidator.Validate(this, path);
        AtomicFile.WriteAllText(path, ToJson());
    }

    /// <summary>
    /// Checks format and version before the full deserialization, so that another kind of JSON file is reported
    /// as such rather than as its first missing property.
    /// </summary>
    private static void CheckHeader(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new NablaException($"{source}: not valid JSON: {Describe(e)}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new NablaException($"{source}: not a Nabla run file: the top level is {Kind(root.ValueKind)}, expected an object with \"format\": \"{FormatName}\"");
            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
                throw new NablaException($"{source}: not a Nabla run file: \"format\" is {(format.ValueKind == JsonValueKind.Undefined ? "missing" : Excerpt.Of(format.GetRawText()))}, expected \"{FormatName}\"");
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number)
                throw new NablaException($"{source}: \"version\" is missing or not a number; this Nabla reads version {CurrentVersion}");
            if (!version.TryGetInt32(out int v) || v != CurrentVersion)
                throw new NablaException($"{source}: unsupported run file version {Excerpt.Of(version.GetRawText())}; this Nabla reads version {CurrentVersion}");
        }
    }

    private static string Describe(JsonException e)
    {
        string message = e.Message;
        // System.Text.Json appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 5."; say it in our words instead.
        int cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        var where = new List<string>();
        if (!string.IsNullOrEmpty(e.Path) && e.Path != "$") where.Add($"at {e.Path}");
        if (e.LineNumber is { } line) where.Add($"line {line + 1}");
        if (e.BytePositionInLine is { } column) where.Add($"byte {column + 1}");
        return where.Count == 0 ? message : $"{message} ({string.Join(", ", where)})";
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "a boolean",
    };
}
