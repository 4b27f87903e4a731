using System.Globalization;
using System.Text;

namespace Nabla.Serialization;

/// <summary>
/// Builds a safetensors header the way the reference implementation (Rust, serde_json) does: compact JSON,
/// <c>__metadata__</c> first, then one entry per tensor in data order, padded with spaces to a multiple of 8 bytes.
/// Strings are escaped as serde_json escapes them: <c>\"</c>, <c>\\</c>, <c>\b \f \n \r \t</c>, other control
/// characters as <c>\u00xx</c>; everything else, including non-ASCII, is written as UTF-8.
/// </summary>
internal static class SafetensorsHeaderWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The padded UTF-8 header for tensors laid out back to back in the given order.</summary>
    public static byte[] Build(IReadOnlyList<SafeTensor> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new StringBuilder("{");
        var first = true;
        if (metadata is { Count: > 0 })
        {
            json.Append("\"__metadata__\":{");
            var firstEntry = true;
            foreach (var key in metadata.Keys.Order(StringComparer.Ordinal))
            {
                if (!firstEntry) json.Append(',');
                firstEntry = false;
                AppendString(json, key);
                json.Append(':');
                AppendString(json, metadata[key]);
            }
            json.Append('}');
            first = false;
        }
        long offset = 0;
        foreach (var tensor in ordered)
        {
            if (!first) json.Append(',');
            first = false;
            AppendString(json, tensor.Name);
            json.Append(":{\"dtype\":\"").Append(tensor.DType.HeaderName()).Append("\",\"shape\":[");
            json.AppendJoin(',', tensor.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            var end = offset + tensor.Data.Length;
            json.Append("],\"data_offsets\":[").Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(end.ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset = end;
        }
        json.Append('}');
        var bytes = StrictUtf8.GetBytes(json.ToString()); // throws on a lone surrogate in a name
        var padded = new byte[(bytes.Length + 7) / 8 * 8];
        bytes.CopyTo(padded, 0);
        padded.AsSpan(bytes.Length).Fill((byte)' ');
        return padded;
    }

    private static void AppendString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }
        json.Append('"');
    }
}
