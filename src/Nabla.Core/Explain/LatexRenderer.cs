using System.Text;
using Nabla.Checking;

namespace Nabla.Explain;

/// <summary>
/// An explanation as one LaTeX <c>align*</c> block (amsmath) a teacher can paste into a worksheet:
/// the forward pass (<c>f_0 &amp;= \beta_0 + t_1 = 1.230</c>), the backward pass
/// (<c>\frac{\partial \ell}{\partial h_1} &amp;= \frac{\partial \ell}{\partial t_3} \cdot \omega_1 = -17.060 \times (-0.400) = 6.824</c>)
/// and the parameter gradients, each section introduced by <c>\intertext</c>; with a check, the
/// numeric derivative beside each gradient and the summary at the end.
/// </summary>
public static class LatexRenderer
{
    /// <summary>The explanation as one <c>align*</c> block; with <paramref name="forwardMode"/>, the tangents along its seed follow.</summary>
    public static string Render(Explanation e, GradCheckReport? check = null, ForwardModeExplanation? forwardMode = null)
    {
        var lines = new List<string>();
        string o = LatexText.Name(e.OutputName);
        string at = string.Join(", ", e.Inputs.Select(i => $"{LatexText.Name(i.Name)} = {LatexText.Number(NumberText.RoundTrip(i.Value))}"));
        lines.Add($"\\intertext{{Forward pass{(at.Length > 0 ? $" at ${at}$" : "")}:}}");
        foreach (var f in e.Forward)
            lines.Add($"{LatexText.Name(f.Name)} &= {LatexText.Math(f.Expression)} = {Display(f.Value)}");
        lines.Add("\\intertext{Backward pass:}");
        foreach (var b in e.Backward) lines.Add(Chain(o, b));
        lines.Add("\\intertext{Parameter gradients:}");
        var entries = check?.Entries.ToDictionary(c => c.Name);
        foreach (var g in e.Gradients)
        {
            string line = Chain(o, g);
            if (entries is not null && entries.TryGetValue(g.Name, out var c))
                line += $" && \\text{{numeric {Display(c.Numeric)}, {(c.Passed ? "pass" : "FAIL")}}}";
            lines.Add(line);
        }
        if (check is not null)
            lines.Add($"\\intertext{{Finite-difference check ({check.Options.MethodName}, step ${LatexText.Number(NumberText.RoundTrip(check.Options.Step))}$): " +
                      $"{(check.Passed ? "all passed" : $"{check.Entries.Count(x => !x.Passed)} of {check.Entries.Count} failed")}.}}");
        if (forwardMode is not null) lines.AddRange(ForwardMode(forwardMode));

        var s = new StringBuilder();
        s.AppendLine("\\begin{align*}");
        for (int i = 0; i < lines.Count; i++)
        {
            // Rows end with \\ (the last excepted); \intertext must follow one, and needs none itself.
            bool breakAfter = i + 1 < lines.Count && !lines[i].StartsWith("\\intertext", StringComparison.Ordinal);
            s.AppendLine(breakAfter ? lines[i] + " \\\\" : lines[i]);
        }
        s.AppendLine("\\end{align*}");
        return s.ToString();
    }

    /// <summary><c>\frac{\partial \ell}{\partial f_0}</c>.</summary>
    public static string Partial(string output, string node) => $"\\frac{{\\partial {output}}}{{\\partial {node}}}";

    private static string Chain(string o, BackwardEntry b)
    {
        string left = $"{Partial(o, LatexText.Name(b.Name))} &= ";
        if (b.Terms.Count == 0) return left + "1";
        string symbols = string.Join(" + ", b.Terms.Select(t => $"{Partial(o, LatexText.Name(t.Consumer))} \\cdot {Factor(LatexText.Math(t.Local))}"));
        string numbers = string.Join(" + ", b.Terms.Select(t => $"{Display(t.Upstream)} \\times {Display(t.LocalValue, factor: true)}"));
        return $"{left}{symbols} = {numbers} = {Display(b.Gradient)}";
    }

    private static IEnumerable<string> ForwardMode(ForwardModeExplanation f)
    {
        string seed = LatexText.Name(f.Seed);
        yield return $"\\intertext{{Forward mode along ${seed}$ (tangents $\\frac{{\\partial \\cdot}}{{\\partial {seed}}}$ in evaluation order):}}";
        foreach (var row in f.Inputs.Concat(f.Steps))
        {
            string left = $"{Partial(LatexText.Name(row.Name), seed)} &= ";
            if (row.Terms.Count == 0)
            {
                yield return left + Display(row.Tangent);
                continue;
            }
            string symbols = string.Join(" + ", row.Terms.Select(t => $"{Factor(LatexText.Math(t.Local))} \\cdot {Partial(LatexText.Name(t.Input), seed)}"));
            string numbers = string.Join(" + ", row.Terms.Select(t => $"{Display(t.LocalValue, factor: true)} \\times {Display(t.InputTangent, factor: true)}"));
            yield return $"{left}{symbols} = {numbers} = {Display(row.Tangent)}";
        }
    }

    private static string Factor(string local) => local.Contains(" + ") || local.Contains(" - ") || local.StartsWith('-') ? $"\\left({local}\\right)" : local;

    private static string Display(double v, bool factor = false)
    {
        string s = (factor ? NumberText.Factor(v) : NumberText.Display(v)).Replace("∞", "\\infty").Replace("NaN", "\\mathrm{NaN}");
        if (!s.Contains('E')) return s;
        return s.StartsWith('(') ? $"({LatexText.Number(s[1..^1])})" : LatexText.Number(s);
    }
}
