using System.Text;
using Nabla.Checking;

namespace Nabla.Explain;

/// <summary>
/// An explanation as GitHub Markdown: a heading with the output's value and the inputs, then
/// tables for the forward pass, the backward pass and the parameter gradients (with the
/// finite-difference check beside each gradient when one is given) and a summary line.
/// </summary>
public static class MarkdownRenderer
{
    /// <summary>The explanation as Markdown; with <paramref name="forwardMode"/>, a forward-mode table follows the reverse-mode ones.</summary>
    public static string Render(Explanation e, GradCheckReport? check = null, ForwardModeExplanation? forwardMode = null)
    {
        var s = new StringBuilder();
        string o = e.OutputName;
        s.AppendLine($"## Explaining {Cell(o)} = {NumberText.Display(e.Value)}");
        s.AppendLine();
        if (e.Inputs.Count > 0)
            s.AppendLine($"at {string.Join(", ", e.Inputs.Select(i => $"{Cell(i.Name)} = {NumberText.RoundTrip(i.Value)}"))}").AppendLine();

        s.AppendLine("### Forward pass").AppendLine();
        s.AppendLine("| node | expression | value |").AppendLine("| --- | --- | ---: |");
        foreach (var f in e.Forward) s.AppendLine($"| {Cell(f.Name)} | {Cell(f.Name)} = {Cell(f.Expression)} | {NumberText.Display(f.Value)} |");
        s.AppendLine();

        s.AppendLine("### Backward pass").AppendLine();
        s.AppendLine($"| node | gradient | local derivative | chain rule | value |").AppendLine("| --- | --- | --- | --- | ---: |");
        foreach (var b in e.Backward) s.AppendLine(Row(o, b));
        s.AppendLine();

        s.AppendLine("### Parameter gradients").AppendLine();
        var entries = check?.Entries.ToDictionary(c => c.Name);
        s.Append("| variable | gradient | local derivative | chain rule | value |");
        s.AppendLine(check is null ? "" : " numeric | abs error | rel error | check |");
        s.Append("| --- | --- | --- | --- | ---: |").AppendLine(check is null ? "" : " ---: | ---: | ---: | --- |");
        foreach (var g in e.Gradients)
        {
            s.Append(Row(o, g));
            if (entries is not null && entries.TryGetValue(g.Name, out var c))
                s.Append($" {NumberText.Display(c.Numeric)} | {ChainText.Error(c.AbsError)} | {ChainText.Error(c.RelError)} | {(c.Passed ? "pass" : "**FAIL**")} |");
            else if (entries is not null) s.Append(" | | | |");
            s.AppendLine();
        }
        if (check is not null) s.AppendLine().AppendLine($"**{Cell(check.Summary)}**");
        if (forwardMode is not null) ForwardMode(s, forwardMode);
        return s.ToString();
    }

    private static void ForwardMode(StringBuilder s, ForwardModeExplanation f)
    {
        s.AppendLine().AppendLine($"### Forward mode along {Cell(f.Seed)}").AppendLine();
        s.AppendLine($"Each node's tangent {Cell(f.TangentName("node"))} from its inputs' tangents, in evaluation order; " +
                     $"{Cell(f.TangentName(f.OutputName))} = {NumberText.Display(f.Tangent)}.").AppendLine();
        s.AppendLine("| node | expression | value | tangent | chain rule | tangent value |").AppendLine("| --- | --- | ---: | --- | --- | ---: |");
        foreach (var row in f.Inputs.Concat(f.Steps))
        {
            string chain = row.Terms.Count == 0 ? f.Symbols(row) : $"{f.Symbols(row)} = {ForwardModeExplanation.Numbers(row)}";
            string expression = row.Expression.Length == 0 ? "variable" : $"{row.Name} = {row.Expression}";
            s.AppendLine($"| {Cell(row.Name)} | {Cell(expression)} | {NumberText.Display(row.Value)} | {Cell(f.TangentName(row.Name))} | {Cell(chain)} | {NumberText.Display(row.Tangent)} |");
        }
    }

    private static string Row(string output, BackwardEntry b) =>
        $"| {Cell(b.Name)} | {Cell(ChainText.Partial(output, b.Name))} | {Lines(ChainText.Locals(b), "<br>")} | " +
        $"{Lines(ChainText.Symbols(output, b).Zip(ChainText.Numbers(b), (sym, num) => $"{sym} = {num}"), "<br>+ ")} | {NumberText.Display(b.Gradient)} |";

    private static string Lines(IEnumerable<string> items, string separator) => string.Join(separator, items.Select(Cell));

    // Markdown table cells: escape the characters that end a cell or start emphasis.
    private static string Cell(string text) => text.Replace("\\", "\\\\").Replace("|", "\\|").Replace("*", "\\*").Replace("_", "\\_");
}
