using System.Globalization;
using System.Text.Json;

namespace Nabla.Cli;

/// <summary>Writing numbers so they round-trip: the shortest text that parses back to the same double.</summary>
public static class Json
{
    public static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static void Number(Utf8JsonWriter w, double v)
    {
        if (!double.IsFinite(v)) { w.WriteStringValue(v.ToString(CultureInfo.InvariantCulture)); return; }
        w.WriteNumberValue(v); // the shortest text that parses back to the same double
    }

    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Indented)) body(w);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
