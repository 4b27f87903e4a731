using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nabla.Examples;
using Nabla.IO;

namespace Nabla.Explain.Networks;

/// <summary>
/// A network explanation as one JSON object; matrices are arrays of rows, numbers round-trip (non-finite ones are
/// the strings "NaN", "Infinity", "-Infinity"):
/// <code>
/// {"title", "loss": {"name", "formula", "gradient", "value"}, "input", "target",
///  "forward": [{"layer", "activation", "W", "b", "input", "z", "a"}...],
///  "lossGradient",
///  "backward": [{"layer", "upstream", "slope", "delta", "dW", "db", "dInput"}...],
///  "check": {"method": "central", "step", "passed", "entries": [{"parameter", "analytic", "numeric", "passed"}...]}}
/// </code>
/// "b" and "db" are null for a layer without bias; "backward" runs from the last layer to the first.
/// </summary>
public static class NetworkJsonRenderer
{
    /// <summary>The explanation as indented JSON.</summary>
    public static string Render(NetworkExplanation e)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("title", e.Title);
            w.WriteStartObject("loss");
            w.WriteString("name", e.Network.Loss.Name);
            w.WriteString("formula", e.Network.Loss.Text);
            w.WriteString("gradient", e.Network.Loss.GradientText);
            JsonNumber.Write(w, "value", e.Loss);
            w.WriteEndObject();
            Write(w, "input", e.Input);
            Write(w, "target", e.Target);
            w.WriteStartArray("forward");
            foreach (var f in e.Forward)
            {
                w.WriteStartObject();
                w.WriteNumber("layer", f.Layer);
                w.WriteString("activation", f.Activation);
                Write(w, "W", f.Weight);
                Write(w, "b", f.Bias);
                Write(w, "input", f.Input);
                Write(w, "z", f.Z);
                Write(w, "a", f.A);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Write(w, "lossGradient", e.LossGradient);
            w.WriteStartArray("backward");
            foreach (var b in e.Backward)
            {
                w.WriteStartObject();
                w.WriteNumber("layer", b.Layer);
                Write(w, "upstream", b.Upstream);
                Write(w, "slope", b.Slope);
                Write(w, "delta", b.Delta);
                Write(w, "dW", b.WeightGradient);
                Write(w, "db", b.BiasGradient);
                Write(w, "dInput", b.InputGradient);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("check");
            w.WriteString("method", "central");
            JsonNumber.Write(w, "step", NetworkExplanation.Step);
            w.WriteBoolean("passed", e.Passed);
            w.WriteStartArray("entries");
            foreach (var c in e.Checks)
            {
                w.WriteStartObject();
                w.WriteString("parameter", c.Parameter);
                JsonNumber.Write(w, "analytic", c.Analytic);
                JsonNumber.Write(w, "numeric", c.Numeric);
                w.WriteBoolean("passed", c.Passed);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter w, string property, Matrix? m)
    {
        if (m is null)
        {
            w.WriteNull(property);
            return;
        }
        w.WriteStartArray(property);
        for (int i = 0; i < m.Rows; i++)
        {
            w.WriteStartArray();
            for (int j = 0; j < m.Columns; j++) JsonNumber.Write(w, m[i, j]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
