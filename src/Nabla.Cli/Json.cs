using System.Text.Json;

namespace Nabla.Cli;

/// <summary>JSON output of the commands: indented, written through one writer (numbers with <see cref="Nabla.IO.JsonNumber"/>).</summary>
public static class Json
{
    public static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Indented)) body(w);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
