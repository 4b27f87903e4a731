using System.Text;
using Nabla.Examples;
using static Nabla.Explain.Attention.MatrixBlock;

namespace Nabla.Explain.Attention;

/// <summary>
/// <see cref="AttentionExplanation"/> as plain text (<see cref="Text"/>) or GitHub Markdown (<see cref="Markdown"/>): the
/// inputs, the forward pass with each softmax row's sum, the loss, the backward pass in matrix form with the softmax
/// Jacobian of one row written out beside the shortcut, the causal head, then every gradient three ways (formula,
/// engine, central differences) and one line saying whether they agree and to what tolerance.
/// </summary>
public static class AttentionText
{
    private const string Indent = "    ";

    /// <summary>Plain text for a terminal.</summary>
    public static string Text(AttentionExplanation e) => Render(e, markdown: false);

    /// <summary>GitHub Markdown: a heading per section and its lines in a text block, so the matrices stay aligned.</summary>
    public static string Markdown(AttentionExplanation e) => Render(e, markdown: true);

    /// <summary>The last line: what agrees with what and to which tolerance, or what failed and by how much.</summary>
    public static string Verdict(AttentionExplanation e) => e.Passed
        ? $"All agree: engine and formulas to {R(AttentionExplanation.EngineTolerance)}, J·dp and the shortcut to {R(AttentionExplanation.EngineTolerance)}, central differences (h = {R(AttentionExplanation.Step)}) to {R(AttentionExplanation.DifferenceTolerance)}."
        : $"CHECK FAILED: largest |formula − engine| {R(Math.Max(e.Full.EngineError, e.Causal.EngineError))} (allowed {R(AttentionExplanation.EngineTolerance)}), " +
          $"|J·dp − dS[{AttentionExplanation.JacobianRow},:]| {R(e.JacobianError)}, |formula − central difference| {R(Math.Max(e.Full.DifferenceError, e.Causal.DifferenceError))} (allowed {R(AttentionExplanation.DifferenceTolerance)}).";

    private static string Render(AttentionExplanation e, bool markdown)
    {
        var s = new StringBuilder();
        var (full, causal) = (e.Full.Head, e.Causal.Head);
        string root = $"√{e.Q.Columns}";
        void Section(string heading, IEnumerable<string> lines)
        {
            s.AppendLine().AppendLine(markdown ? $"### {heading}" : heading);
            if (markdown) s.AppendLine().AppendLine("```text");
            foreach (var line in lines) s.AppendLine(line);
            if (markdown) s.AppendLine("```");
        }

        s.AppendLine(markdown ? "## Explaining one attention head, forward and backward" : "── Explaining one attention head, forward and backward ──");
        s.AppendLine($"{e.Q.Rows} tokens, d = {e.Q.Columns}. Q, K and V are given directly (in a transformer they are X·W_q, X·W_k and X·W_v,");
        s.AppendLine("and the gradients below flow on to the W's through those products); T is the target of the loss.");
        s.AppendLine($"Numbers are shown to {Decimals} decimals; an exact zero is shown as 0.");
        Section("Inputs", SideBySide(Indent, ("Q (queries)", e.Q), ("K (keys)", e.K), ("V (values)", e.V), ("T (target)", e.T)));

        var p = full.Probabilities;
        Section("Forward pass", [
            $"  S = Q·Kᵀ/{root}: S[i,j] = q_i·k_j/{root}, how well query i matches key j; e.g. S[0,1] = {DotText(e.Q, 0, e.K, 1)}/{root} = {Cell(full.Scores[0, 1])}",
            "  P = softmax(S), row by row: P[i,j] = exp(S[i,j]) / Σ_k exp(S[i,k]), so each row is positive and sums to 1",
            .. Enumerable.Range(0, p.Rows).Select(i => $"    row {i}: exp(S[{i},:]) = {Vector(Row(full.Scores, i).Select(Math.Exp))}, Σ = {Cell(full.ExpSums[i])}"),
            $"  O = P·V: each output row is an average of the value rows weighted by P; e.g. O[0,0] = {WeightedText(p, 0, e.V, 0)} = {Cell(full.Output[0, 0])}",
            .. SideBySide(Indent, ($"S = Q·Kᵀ/{root}", full.Scores), ("P = softmax(S)", p), ("Σ_j P[i,j]", Column(full.RowSums)), ("O = P·V", full.Output)),
            $"  L = ½‖O − T‖² = ½·Σ (O − T)² = {Cell(full.Loss)}",
        ]);

        int r = AttentionExplanation.JacobianRow;
        Section("Backward pass, in matrix form", [
            "  dO = ∂L/∂O = O − T;  dV = Pᵀ·dO (value j collects the errors of the queries that read it);  dP = dO·Vᵀ",
            .. SideBySide(Indent, ("dO = O − T", full.OutputGradient), ("dV = Pᵀ·dO", full.ValueGradient), ("dP = dO·Vᵀ", full.ProbabilityGradient)),
            $"  Through the softmax of row {r}: p = P[{r},:] = {Vector(Row(p, r))}, dp = dP[{r},:] = {Vector(Row(full.ProbabilityGradient, r))}",
            "  its Jacobian J[j,k] = ∂p_j/∂s_k = p_j·(δ_jk − p_k), i.e. J = diag(p) − p·pᵀ, and dS[0,:] = J·dp (J is symmetric)",
            .. SideBySide(Indent, ("J = diag(p) − p·pᵀ", e.Jacobian), ("dp", Column(Row(full.ProbabilityGradient, r))), ("J·dp", Column(e.JacobianTimesUpstream))),
            "  The shortcut needs no J: dS = P ⊙ (dP − c), c[i] = rowsum(dP ⊙ P)[i] = Σ_j dP[i,j]·P[i,j]",
            .. SideBySide(Indent, ("c", Column(full.RowDots)), ("dS = P ⊙ (dP − c)", full.ScoreGradient), ("Σ_j dS[i,j]", Column(AttentionHead.Sums(full.ScoreGradient)))),
            $"  row {r} of dS is J·dp above; every row of dS sums to 0, since adding a constant to a row of S changes no probability",
            .. SideBySide(Indent, ($"dQ = dS·K/{root}", full.QueryGradient), ($"dK = dSᵀ·Q/{root}", full.KeyGradient)),
        ]);

        Section("With the causal mask: query i sees keys j ≤ i only", [
            "  S[i,j] = -∞ for j > i, so P[i,j] = exp(-∞)/Σ = 0 exactly, and the visible keys share the whole weight",
            .. SideBySide(Indent, ("S (masked)", causal.Scores), ("P = softmax(S)", causal.Probabilities), ("Σ_j P[i,j]", Column(causal.RowSums)), ("O = P·V", causal.Output)),
            $"  L = ½‖O − T‖² = {Cell(causal.Loss)}",
            "  dS = P ⊙ (dP − c) is 0 wherever P is: a hidden key passes no gradient, and row 0 (one visible key, P = 1) none at all",
            .. SideBySide(Indent, ("dP = dO·Vᵀ", causal.ProbabilityGradient), ("dS = P ⊙ (dP − c)", causal.ScoreGradient)),
        ]);

        Section($"Check: the formulas, the engine (Backward through fused ScaledDotProductAttention), central differences of L",
            [.. Checks("without the mask", e.Full), .. Checks("with the causal mask", e.Causal), "  " + Verdict(e)]);
        return s.ToString();
    }

    private static IEnumerable<string> Checks(string title, AttentionHeadCheck c)
    {
        yield return $"  {title}:";
        foreach (var (name, formula, engine, numeric) in new[]
        {
            ("dQ", c.Head.QueryGradient, c.Engine.Query, c.Numeric.Query),
            ("dK", c.Head.KeyGradient, c.Engine.Key, c.Numeric.Key),
            ("dV", c.Head.ValueGradient, c.Engine.Value, c.Numeric.Value),
        })
            foreach (var line in SideBySide(Indent, ($"{name} formula", formula), ($"{name} engine", engine), ($"{name} central differences", numeric)))
                yield return line;
    }

    private static double[] Row(Matrix m, int i) => [.. Enumerable.Range(0, m.Columns).Select(j => m[i, j])];

    private static string DotText(Matrix a, int i, Matrix b, int j) =>
        "(" + string.Join(" + ", Enumerable.Range(0, a.Columns).Select(e => $"{Factor(a[i, e])}·{Factor(b[j, e])}")) + ")";

    private static string WeightedText(Matrix p, int i, Matrix v, int column) =>
        string.Join(" + ", Enumerable.Range(0, p.Columns).Select(j => $"{Factor(p[i, j])}·{Factor(v[j, column])}"));

    private static string Factor(double v)
    {
        string text = v == Math.Floor(v) && double.IsFinite(v) ? NumberText.RoundTrip(v) : Cell(v);
        return v < 0 ? $"({text})" : text;
    }

    // Tolerances and the step are powers of ten ("1e-12"); a failing error is written in full.
    private static string R(double v)
    {
        double exponent = Math.Round(Math.Log10(v));
        return v > 0 && v == Math.Pow(10, exponent) ? $"1e{exponent:0}" : NumberText.RoundTrip(v);
    }
}
