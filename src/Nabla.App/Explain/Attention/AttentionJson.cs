using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nabla.Examples;

namespace Nabla.Explain.Attention;

/// <summary>
/// <see cref="AttentionExplanation"/> as one JSON object; matrices are arrays of rows, numbers round-trip, and −∞ (the
/// causal head's hidden scores) is the string "-Infinity":
/// <code>
/// {"example": "attention", "d", "Q", "K", "V", "T",
///  "heads": {"full": HEAD, "causal": HEAD},
///  "jacobian": {"row", "p", "dp", "J", "J_dp"},
///  "tolerances": {"engine", "central_differences", "step"}, "passed"}
/// HEAD = {"S", "exp_sums", "P", "row_sums", "O", "loss", "dO", "dV", "dP", "c", "dS", "dQ", "dK",
///         "engine": {"O", "loss", "dQ", "dK", "dV"}, "central_differences": {"dQ", "dK", "dV"},
///         "max_engine_error", "max_difference_error", "passed"}
/// </code>
/// </summary>
public static class AttentionJson
{
    /// <summary>The explanation as indented JSON.</summary>
    public static string Render(AttentionExplanation e, string name)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("example", name);
            w.WriteNumber("d", e.Q.Columns);
            Write(w, "Q", e.Q);
            Write(w, "K", e.K);
            Write(w, "V", e.V);
            Write(w, "T", e.T);
            w.WriteStartObject("heads");
            Head(w, "full", e.Full);
            Head(w, "causal", e.Causal);
            w.WriteEndObject();
            int r = AttentionExplanation.JacobianRow;
            var head = e.Full.Head;
            w.WriteStartObject("jacobian");
            w.WriteNumber("row", r);
            Vector(w, "p", [.. Enumerable.Range(0, head.Probabilities.Columns).Select(j => head.Probabilities[r, j])]);
            Vector(w, "dp", [.. Enumerable.Range(0, head.ProbabilityGradient.Columns).Select(j => head.ProbabilityGradient[r, j])]);
            Write(w, "J", e.Jacobian);
            Vector(w, "J_dp", e.JacobianTimesUpstream);
            w.WriteEndObject();
            w.WriteStartObject("tolerances");
            Number(w, "engine", AttentionExplanation.EngineTolerance);
            Number(w, "central_differences", AttentionExplanation.DifferenceTolerance);
            Number(w, "step", AttentionExplanation.Step);
            w.WriteEndObject();
            w.WriteBoolean("passed", e.Passed);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Head(Utf8JsonWriter w, string property, AttentionHeadCheck c)
    {
        var h = c.Head;
        w.WriteStartObject(property);
        Write(w, "S", h.Scores);
        Vector(w, "exp_sums", h.ExpSums);
        Write(w, "P", h.Probabilities);
        Vector(w, "row_sums", h.RowSums);
        Write(w, "O", h.Output);
        Number(w, "loss", h.Loss);
        Write(w, "dO", h.OutputGradient);
        Write(w, "dV", h.ValueGradient);
        Write(w, "dP", h.ProbabilityGradient);
        Vector(w, "c", h.RowDots);
        Write(w, "dS", h.ScoreGradient);
        Write(w, "dQ", h.QueryGradient);
        Write(w, "dK", h.KeyGradient);
        w.WriteStartObject("engine");
        Write(w, "O", c.EngineOutput);
        Number(w, "loss", c.EngineLoss);
        Gradients(w, c.Engine);
        w.WriteEndObject();
        w.WriteStartObject("central_differences");
        Gradients(w, c.Numeric);
        w.WriteEndObject();
        Number(w, "max_engine_error", c.EngineError);
        Number(w, "max_difference_error", c.DifferenceError);
        w.WriteBoolean("passed", c.Passed);
        w.WriteEndObject();
    }

    private static void Gradients(Utf8JsonWriter w, AttentionGradients g)
    {
        Write(w, "dQ", g.Query);
        Write(w, "dK", g.Key);
        Write(w, "dV", g.Value);
    }

    private static void Write(Utf8JsonWriter w, string property, Matrix m)
    {
        w.WriteStartArray(property);
        for (int i = 0; i < m.Rows; i++)
        {
            w.WriteStartArray();
            for (int j = 0; j < m.Columns; j++) Value(w, m[i, j]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static void Vector(Utf8JsonWriter w, string property, double[] values)
    {
        w.WriteStartArray(property);
        foreach (double v in values) Value(w, v);
        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string property, double v)
    {
        w.WritePropertyName(property);
        Value(w, v);
    }

    private static void Value(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteStringValue(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }
}
