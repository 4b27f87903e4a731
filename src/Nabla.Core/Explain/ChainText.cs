using System.Globalization;

namespace Nabla.Explain;

/// <summary>
/// The pieces of a chain-rule line in plain text, shared by the text and Markdown renderers:
/// <c>∂l/∂f0</c>, the local derivative <c>∂h1/∂f0 = cos(f0)</c>, the chain
/// <c>∂l/∂h1 · ∂h1/∂f0</c> and its numbers <c>6.824 × 0.334</c>; a node used several times
/// gets one term per use, joined by <c> + </c>.
/// </summary>
public static class ChainText
{
    /// <summary><c>∂out/∂node</c>.</summary>
    public static string Partial(string output, string node) => $"∂{output}/∂{node}";

    /// <summary>Each use's local derivative, <c>∂h1/∂f0 = cos(f0)</c>; for the output, <c>(seed)</c>.</summary>
    public static IEnumerable<string> Locals(BackwardEntry entry) =>
        entry.Terms.Count == 0 ? ["(seed)"] : entry.Terms.Select(t => $"{Partial(t.Consumer, entry.Name)} = {t.Local}");

    /// <summary>Each use as upstream gradient times local derivative, symbolically: <c>∂l/∂h1 · ∂h1/∂f0</c>; for the output, <c>∂l/∂l</c>.</summary>
    public static IEnumerable<string> Symbols(string output, BackwardEntry entry) =>
        entry.Terms.Count == 0 ? [Partial(output, entry.Name)] : entry.Terms.Select(t => $"{Partial(output, t.Consumer)} · {Partial(t.Consumer, entry.Name)}");

    /// <summary>Each use with numbers: <c>6.824 × 0.334</c>.</summary>
    public static IEnumerable<string> Numbers(BackwardEntry entry) =>
        entry.Terms.Count == 0 ? ["1"] : entry.Terms.Select(t => $"{NumberText.Display(t.Upstream)} × {NumberText.Factor(t.LocalValue)}");

    /// <summary>The whole line: <c>∂l/∂omega0 = ∂l/∂t1 · x = 2.281 × 2.300 = 5.246</c>, summed over uses.</summary>
    public static string Line(string output, BackwardEntry entry) =>
        entry.Terms.Count == 0 ? $"{Partial(output, entry.Name)} = 1" : $"{Partial(output, entry.Name)} = {Chain(output, entry)} = {NumberText.Display(entry.Gradient)}";

    /// <summary>The middle of <see cref="Line"/>: <c>∂l/∂t1 · x = 2.281 × 2.300</c>; <c>1 (seed)</c> for the output itself.</summary>
    public static string Chain(string output, BackwardEntry entry)
    {
        if (entry.Terms.Count == 0) return "1 (seed)";
        string symbols = string.Join(" + ", entry.Terms.Select(t => $"{Partial(output, t.Consumer)} · {Wrap(t.Local)}"));
        return $"{symbols} = {string.Join(" + ", Numbers(entry))}";
    }

    /// <summary>Each use on its own: <c>∂y/∂t1 · x = 1.000 × 2.000</c>; <c>1 (seed)</c> for the output itself.</summary>
    public static IEnumerable<string> Uses(string output, BackwardEntry entry) =>
        entry.Terms.Count == 0 ? ["1 (seed)"] : entry.Terms.Select(t =>
            $"{Partial(output, t.Consumer)} · {Wrap(t.Local)} = {NumberText.Display(t.Upstream)} × {NumberText.Factor(t.LocalValue)}");

    /// <summary>A small error in exponent form: <c>1.2E-10</c>.</summary>
    public static string Error(double v) =>
        double.IsFinite(v) ? v.ToString("0.0E+00", CultureInfo.InvariantCulture) : NumberText.Display(v);

    // A local derivative that is a sum, a difference or negative needs parentheses to be a factor.
    internal static string Wrap(string local) =>
        local.Contains(" + ") || local.Contains(" - ") || local.StartsWith('-') ? $"({local})" : local;
}
