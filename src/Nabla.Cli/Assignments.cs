using System.Globalization;

namespace Nabla.Cli;

/// <summary>Parses <c>--at "x=2.3,y=2"</c> and <c>--wrt a,b</c> option values.</summary>
public static class Assignments
{
    public static Dictionary<string, double> ParseAt(string? text)
    {
        var values = new Dictionary<string, double>();
        if (string.IsNullOrWhiteSpace(text)) return values;
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0) continue;
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new CliException($"--at: expected name=value, found \"{part}\"");
            string name = part[..eq].Trim();
            string number = part[(eq + 1)..].Trim();
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new CliException($"--at: the value of {name}, \"{number}\", is not a number");
            if (!double.IsFinite(value))
                throw new CliException($"--at: the value of {name}, \"{number}\", is not a finite number");
            if (!values.TryAdd(name, value)) throw new CliException($"--at: {name} is given twice");
        }
        return values;
    }

    /// <summary>
    /// Evaluates <paramref name="formula"/> at <paramref name="values"/> (noting unused names on stderr) and resolves
    /// <c>--wrt</c>: the variables to differentiate by, all of them when it is absent.
    /// </summary>
    public static (Nabla.Formulas.FormulaGraph Graph, List<string> Names) Evaluate(Nabla.Formulas.Formula formula,
        IReadOnlyDictionary<string, double> values, string? wrt, TextWriter stderr)
    {
        NoteUnused(formula, values, stderr);
        var graph = formula.Evaluate(values);
        var names = ParseNames(wrt) ?? formula.Variables.ToList();
        foreach (var name in names)
            if (!graph.Variables.ContainsKey(name))
                throw new CliException($"--wrt: '{name}' is not a variable of the formula (its variables: {(formula.Variables.Count == 0 ? "none" : string.Join(", ", formula.Variables))})");
        return (graph, names);
    }

    /// <summary>Notes on stderr the --at names a formula does not use: they are ignored, but may be a typo.</summary>
    public static void NoteUnused(Nabla.Formulas.Formula formula, IReadOnlyDictionary<string, double> values, TextWriter stderr)
    {
        var unused = formula.Unused(values);
        if (unused.Count == 0) return;
        string variables = formula.Variables.Count == 0 ? "none" : string.Join(", ", formula.Variables);
        stderr.WriteLine($"note: --at gives a value for {string.Join(", ", unused)}, which the formula does not use (its variables: {variables}); ignored");
    }

    public static List<string>? ParseNames(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
}
