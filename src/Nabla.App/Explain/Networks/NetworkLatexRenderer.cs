using System.Globalization;
using System.Text;
using Nabla.Examples;

namespace Nabla.Explain.Networks;

/// <summary>
/// A network explanation as LaTeX (amsmath): per layer an <c>align*</c> block with the forward step
/// <c>z_k = W_k a_{k-1} + b_k</c> and its numbers as <c>bmatrix</c>es, then the backward steps in matrix form.
/// </summary>
public static class NetworkLatexRenderer
{
    /// <summary>The explanation as LaTeX to paste into a document that loads amsmath.</summary>
    public static string Render(NetworkExplanation e)
    {
        var s = new StringBuilder();
        // amsmath's matrices hold 10 columns unless told otherwise.
        int widest = e.Forward.Max(f => Math.Max(f.Weight.Columns, f.Weight.Rows));
        if (widest > 10) s.AppendLine($"\\setcounter{{MaxMatrixCols}}{{{widest}}}");
        s.AppendLine($"\\paragraph{{Forward pass}} $z_k = W_k a_{{k-1}} + b_k$, $a_k = f(z_k)$, loss ${Escape(e.Network.Loss.Text)}$.");
        s.AppendLine("\\begin{align*}");
        var rows = new List<string> { $"a_0 &= {M(e.Input)}, \\quad y = {M(e.Target)}" };
        foreach (var f in e.Forward)
        {
            int k = f.Layer;
            rows.Add($"z_{{{k}}} &= W_{{{k}}} a_{{{k - 1}}}{(f.Bias is null ? "" : $" + b_{{{k}}}")} = {M(f.Weight)} {M(f.Input)}{(f.Bias is { } b ? $" + {M(b)}" : "")} = {M(f.Z)}");
            rows.Add($"a_{{{k}}} &= \\mathrm{{{f.Activation}}}(z_{{{k}}}) = {M(f.A)}");
        }
        int K = e.Forward.Count;
        rows.Add($"L &= {Number(e.Loss)}, \\quad \\frac{{\\partial L}}{{\\partial a_{{{K}}}}} = {M(e.LossGradient)}");
        Block(s, rows);
        s.AppendLine("\\paragraph{Backward pass} $\\delta_k = f'(z_k) \\odot \\frac{\\partial L}{\\partial a_k}$, $\\frac{\\partial L}{\\partial W_k} = \\delta_k a_{k-1}^\\top$, $\\frac{\\partial L}{\\partial b_k} = \\delta_k$, $\\frac{\\partial L}{\\partial a_{k-1}} = W_k^\\top \\delta_k$.");
        s.AppendLine("\\begin{align*}");
        rows = [];
        foreach (var b in e.Backward)
        {
            int k = b.Layer;
            rows.Add($"\\delta_{{{k}}} &= {M(b.Slope)} \\odot {M(b.Upstream)} = {M(b.Delta)}");
            rows.Add($"\\frac{{\\partial L}}{{\\partial W_{{{k}}}}} &= \\delta_{{{k}}} a_{{{k - 1}}}^\\top = {M(b.WeightGradient)}");
            if (b.BiasGradient is { } db) rows.Add($"\\frac{{\\partial L}}{{\\partial b_{{{k}}}}} &= \\delta_{{{k}}} = {M(db)}");
            rows.Add($"\\frac{{\\partial L}}{{\\partial a_{{{k - 1}}}}} &= W_{{{k}}}^\\top \\delta_{{{k}}} = {M(b.InputGradient)}");
        }
        Block(s, rows);
        s.AppendLine($"\\paragraph{{Check}} {NetworkTextRenderer.Summary(e)} (central differences, $h = 10^{{-6}}$).");
        return s.ToString();
    }

    private static void Block(StringBuilder s, List<string> rows)
    {
        for (int i = 0; i < rows.Count; i++) s.AppendLine(i + 1 < rows.Count ? rows[i] + " \\\\" : rows[i]);
        s.AppendLine("\\end{align*}");
    }

    private static string M(Matrix m)
    {
        var rows = Enumerable.Range(0, m.Rows).Select(i => string.Join(" & ", Enumerable.Range(0, m.Columns).Select(j => Number(m[i, j]))));
        return $"\\begin{{bmatrix}} {string.Join(" \\\\ ", rows)} \\end{{bmatrix}}";
    }

    private static string Number(double v) =>
        double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : double.IsNaN(v) ? "\\mathrm{NaN}" : v > 0 ? "\\infty" : "-\\infty";

    private static string Escape(string text) => text.Replace("Σ", "\\sum ").Replace("²", "^2").Replace("½", "\\tfrac12").Replace("−", "-")
        .Replace("·", "\\cdot ").Replace("σ", "\\sigma").Replace("softmax", "\\mathrm{softmax}").Replace("log", "\\log").Replace("max", "\\max")
        .Replace("(cross-entropy, y one-hot)", "").Replace("(binary cross-entropy with logits)", "").Replace("(the output itself)", "").Replace("mean", "\\mathrm{mean}")
        .Replace("e^a", "e^{a}").Replace(", y = ±1", "").Trim();
}
