using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Examples;
using Nabla.IO;

namespace Nabla.Explain.Attention;

/// <summary>
/// <see cref="AttentionExplanation"/> as one line of JSON; matrices are arrays of rows, numbers round-trip, and −∞ (the
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
    /// <summary>The explanation as JSON, its "example" field set to <paramref name="name"/>.</summary>
    public static string Render(AttentionExplanation e, string name)
    {
        int r = AttentionExplanation.JacobianRow;
        var full = e.Full.Head;
        return new JsonObject
        {
            ["example"] = name, ["d"] = e.Q.Columns,
            ["Q"] = Rows(e.Q), ["K"] = Rows(e.K), ["V"] = Rows(e.V), ["T"] = Rows(e.T),
            ["heads"] = new JsonObject { ["full"] = Head(e.Full), ["causal"] = Head(e.Causal) },
            ["jacobian"] = new JsonObject
            {
                ["row"] = r, ["p"] = Row(full.Probabilities, r), ["dp"] = Row(full.ProbabilityGradient, r),
                ["J"] = Rows(e.Jacobian), ["J_dp"] = Array(e.JacobianTimesUpstream),
            },
            ["tolerances"] = new JsonObject
            {
                ["engine"] = AttentionExplanation.EngineTolerance, ["central_differences"] = AttentionExplanation.DifferenceTolerance,
                ["step"] = AttentionExplanation.Step,
            },
            ["passed"] = e.Passed,
        }.ToJsonString();
    }

    private static JsonObject Head(AttentionHeadCheck c)
    {
        var h = c.Head;
        return new JsonObject
        {
            ["S"] = Rows(h.Scores), ["exp_sums"] = Array(h.ExpSums), ["P"] = Rows(h.Probabilities), ["row_sums"] = Array(h.RowSums),
            ["O"] = Rows(h.Output), ["loss"] = h.Loss, ["dO"] = Rows(h.OutputGradient), ["dV"] = Rows(h.ValueGradient),
            ["dP"] = Rows(h.ProbabilityGradient), ["c"] = Array(h.RowDots), ["dS"] = Rows(h.ScoreGradient),
            ["dQ"] = Rows(h.QueryGradient), ["dK"] = Rows(h.KeyGradient),
            ["engine"] = new JsonObject
            {
                ["O"] = Rows(c.EngineOutput), ["loss"] = c.EngineLoss,
                ["dQ"] = Rows(c.Engine.Query), ["dK"] = Rows(c.Engine.Key), ["dV"] = Rows(c.Engine.Value),
            },
            ["central_differences"] = new JsonObject
            {
                ["dQ"] = Rows(c.Numeric.Query), ["dK"] = Rows(c.Numeric.Key), ["dV"] = Rows(c.Numeric.Value),
            },
            ["max_engine_error"] = c.EngineError, ["max_difference_error"] = c.DifferenceError, ["passed"] = c.Passed,
        };
    }

    private static JsonArray Rows(Matrix m) => [.. Enumerable.Range(0, m.Rows).Select(i => (JsonNode)Row(m, i))];
    private static JsonArray Row(Matrix m, int i) => [.. Enumerable.Range(0, m.Columns).Select(j => JsonNumber.Node(m[i, j]))];
    private static JsonArray Array(double[] values) => [.. values.Select(JsonNumber.Node)];

}
