using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nabla.Checking;
using Nabla.IO;

namespace Nabla.Explain;

/// <summary>
/// An explanation as one JSON object for programs; every number round-trips (non-finite ones are
/// the strings "NaN", "Infinity", "-Infinity"):
/// <code>
/// {"output": "l", "value": v, "at": {...},
///  "forward": [{"name", "expression", "value"}...],
///  "backward": [{"name", "local", "gradient", "uses": [{"of", "local", "localValue", "upstream"}...]}...],
///  "gradient": {"beta0": g, ...},
///  "gradients": [{"name", "local", "gradient", "uses": [...]}...],
///  "check": {"method", "step", "atol", "rtol", "passed", "entries": [{"name","analytic","numeric","absError","relError","passed"}...]},
///  "forwardMode": {"wrt", "tangent", "nodes": [{"name", "expression", "value", "tangent", "terms": [{"input", "local", "localValue", "inputTangent"}...]}...]}}
/// </code>
/// "local" is the local derivatives written out, joined by " + " when a node has several uses;
/// "check" is present only when a check is given, "forwardMode" only when forward mode is asked for (its
/// nodes are the variables, with an empty expression and tangent 1 or 0, then every computed node). Text is not HTML-escaped (·, +, ∂ appear as themselves).
/// </summary>
public static class JsonRenderer
{
    /// <summary>The explanation as one indented JSON object (see the type's summary for its keys).</summary>
    public static string Render(Explanation e, GradCheckReport? check = null, ForwardModeExplanation? forwardMode = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("output", e.OutputName);
            JsonNumber.Write(w, "value", e.Value);
            w.WriteStartObject("at");
            foreach (var (name, value) in e.Inputs) JsonNumber.Write(w, name, value);
            w.WriteEndObject();
            w.WriteStartArray("forward");
            foreach (var f in e.Forward)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("expression", f.Expression);
                JsonNumber.Write(w, "value", f.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Entries(w, "backward", e.Backward);
            w.WriteStartObject("gradient");
            foreach (var g in e.Gradients) JsonNumber.Write(w, g.Name, g.Gradient);
            w.WriteEndObject();
            Entries(w, "gradients", e.Gradients);
            if (check is not null) Check(w, check);
            if (forwardMode is not null) ForwardMode(w, forwardMode);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Entries(Utf8JsonWriter w, string property, IReadOnlyList<BackwardEntry> entries)
    {
        w.WriteStartArray(property);
        foreach (var b in entries)
        {
            w.WriteStartObject();
            w.WriteString("name", b.Name);
            w.WriteString("local", string.Join(" + ", ChainText.Locals(b)));
            JsonNumber.Write(w, "gradient", b.Gradient);
            w.WriteStartArray("uses");
            foreach (var t in b.Terms)
            {
                w.WriteStartObject();
                w.WriteString("of", t.Consumer);
                w.WriteString("local", t.Local);
                JsonNumber.Write(w, "localValue", t.LocalValue);
                JsonNumber.Write(w, "upstream", t.Upstream);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Check(Utf8JsonWriter w, GradCheckReport check)
    {
        w.WriteStartObject("check");
        w.WriteString("method", check.Options.Method == FiniteDifference.Forward ? "forward" : "central");
        JsonNumber.Write(w, "step", check.Options.Step);
        JsonNumber.Write(w, "atol", check.Options.AbsoluteTolerance);
        JsonNumber.Write(w, "rtol", check.Options.RelativeTolerance);
        w.WriteBoolean("passed", check.Passed);
        w.WriteStartArray("entries");
        foreach (var c in check.Entries)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            JsonNumber.Write(w, "analytic", c.Analytic);
            JsonNumber.Write(w, "numeric", c.Numeric);
            JsonNumber.Write(w, "absError", c.AbsError);
            JsonNumber.Write(w, "relError", c.RelError);
            w.WriteBoolean("passed", c.Passed);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (check.Message is { } message) w.WriteString("message", message);
        w.WriteEndObject();
    }

    private static void ForwardMode(Utf8JsonWriter w, ForwardModeExplanation f)
    {
        w.WriteStartObject("forwardMode");
        w.WriteString("wrt", f.Seed);
        JsonNumber.Write(w, "tangent", f.Tangent);
        w.WriteStartArray("nodes");
        foreach (var row in f.Inputs.Concat(f.Steps))
        {
            w.WriteStartObject();
            w.WriteString("name", row.Name);
            w.WriteString("expression", row.Expression);
            JsonNumber.Write(w, "value", row.Value);
            JsonNumber.Write(w, "tangent", row.Tangent);
            w.WriteStartArray("terms");
            foreach (var t in row.Terms)
            {
                w.WriteStartObject();
                w.WriteString("input", t.Input);
                w.WriteString("local", t.Local);
                JsonNumber.Write(w, "localValue", t.LocalValue);
                JsonNumber.Write(w, "inputTangent", t.InputTangent);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
