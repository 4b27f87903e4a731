using Nabla.IO;
using System.CommandLine;
using Nabla.Explain;
using Nabla.Formulas;
using Nabla.Graphs;
using Nabla.Reports;
using Nabla.Examples;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla graph ["&lt;formula&gt;"] [--at "..."] [--format dot|svg|html] [--out file.dot|.svg|.html]</c>: the computation
/// graph after a forward and a backward pass, each node with its operation, value and gradient —
/// Graphviz source, an SVG Nabla lays out itself, or a self-contained HTML page with the values on
/// hover. Without a formula, notebook 004's toy model. Without --out, to stdout; with it, the file is
/// written atomically. Exit 0, 2 for bad input or a file that cannot be written, 3 for a non-finite value.
/// </summary>
public static class GraphCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var formula = FormulaOptions.FormulaOrToyModel();
        var at = FormulaOptions.At(toyModelDefault: true);
        var format = new Option<string>("--format") { Description = "dot (Graphviz source), svg or html (default: from the --out suffix, else dot)." };
        format.AcceptOnlyFromAmong(Suffixes.Values.Distinct().ToArray());
        var output = new Option<string>("--out") { Description = "Write to this file (atomically) instead of stdout." };
        var command = new Command("graph", "Draw a formula's computation graph with every node's value and gradient.") { formula, at, format, output };
        command.SetAction(parse => CliAction.Guard(stderr, () =>
            Run(parse.GetValue(formula), parse.GetValue(at), FormatFor(parse.GetValue(format), parse.GetValue(output)), parse.GetValue(output), stdout, stderr)));
        return command;
    }

    /// <summary>The file suffixes graph writes, with the format each means.</summary>
    public static readonly IReadOnlyDictionary<string, string> Suffixes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".dot"] = "dot", [".gv"] = "dot", [".svg"] = "svg", [".html"] = "html", [".htm"] = "html",
    };

    /// <summary>
    /// The format to write: the one given, which must agree with the --out suffix, or else the one the suffix names
    /// (so "--out g.svg" writes SVG), or dot on stdout.
    /// </summary>
    public static string FormatFor(string? format, string? output)
    {
        string? implied = output is null ? null : Suffixes.GetValueOrDefault(Path.GetExtension(output));
        string known = string.Join(", ", Suffixes.Keys);
        if (output is not null && implied is null)
            throw new CliException($"--out: '{output}' should end in one of {known}, so the file says what it holds");
        if (format is not null && implied is not null && format != implied)
            throw new CliException($"--out: '{output}' is named for {implied}, but --format is {format}; use a suffix of {string.Join(" or ", Suffixes.Where(s => s.Value == format).Select(s => s.Key))}");
        return format ?? implied ?? "dot";
    }

    public static int Run(string? text, string? at, string format, string? output, TextWriter stdout, TextWriter stderr)
    {
        var formula = Formula.Parse(text ?? Notebook004.Formula);
        var values = Assignments.ParseAt(at);
        if (text is null) values = ToyValues(values);
        Assignments.NoteUnused(formula, values, stderr);
        var graph = formula.Evaluate(values);
        if (NonFiniteTrace.FirstInForward(graph) is { } forward)
        {
            stderr.WriteLine($"error: {forward}");
            return GradCommand.NotFinite;
        }
        var drawing = ComputationGraph.From(graph);
        if (NonFiniteTrace.FirstInBackward(graph, formula.Variables) is { } backward)
        {
            stderr.WriteLine($"error: {backward}");
            return GradCommand.NotFinite;
        }
        string content = format switch
        {
            "svg" => SvgWriter.Write(drawing) + "\n",
            "html" => GraphHtmlWriter.Write(drawing),
            _ => DotWriter.Write(drawing),
        };
        if (output is null) stdout.Write(content);
        else
        {
            OutputPaths.Prepare("--out", output);
            OutputPaths.Write("--out", output, () => AtomicFile.WriteAllText(output, content));
            stderr.WriteLine($"wrote {output}");
        }
        return 0;
    }

    private static Dictionary<string, double> ToyValues(Dictionary<string, double> changes)
    {
        var merged = new Dictionary<string, double>(Notebook004.At);
        foreach (var (name, value) in changes)
        {
            if (!merged.ContainsKey(name))
                throw new CliException($"--at: the toy model has no variable '{name}' (its variables: {string.Join(", ", Notebook004.At.Keys)})");
            merged[name] = value;
        }
        return merged;
    }
}
