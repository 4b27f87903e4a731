using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nabla.IO;

/// <summary>
/// Numbers in Nabla's JSON: a finite one as the shortest text that parses back to the same double, a non-finite one
/// (which JSON has no number for) as its name, the string "NaN", "Infinity" or "-Infinity". The one writer every
/// JSON output uses, so they all read back the same way.
/// </summary>
internal static class JsonNumber
{
    /// <summary>Writes <paramref name="v"/> as a value.</summary>
    public static void Write(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteStringValue(Name(v));
    }

    /// <summary>Writes <paramref name="v"/> as the value of <paramref name="property"/>.</summary>
    public static void Write(Utf8JsonWriter w, string property, double v)
    {
        w.WritePropertyName(property);
        Write(w, v);
    }

    /// <summary><paramref name="v"/> as a node of a <see cref="JsonNode"/> tree.</summary>
    public static JsonNode Node(double v) => double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(Name(v));

    private static string Name(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
}
