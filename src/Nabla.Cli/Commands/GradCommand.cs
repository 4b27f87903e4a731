using System.CommandLine;
using System.Globalization;
using Nabla.Formulas;
using Spectre.Console;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla grad "&lt;formula&gt;" --at "x=2.3,..." [--wrt a,b] [--json]</c>: the formula's value and its
/// gradient with respect to every free variable (or those named). Exit 0 on success, 2 for bad input,
/// 3 when the value or a gradient is not finite.
/// </summary>
public static class GradCommand
{
    public const int NotFinite = 3;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var formula = FormulaOptions.Formula();
        var at = FormulaOptions.At();
        var wrt = FormulaOptions.Wrt();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {\"value\": v, \"gradient\": {...}}." };
        var command = new Command("grad", "Evaluate a formula and its gradient with respect to its variables.") { formula, at, wrt, json };
        command.SetAction(parse => CliAction.Guard(stderr, () =>
            Run(parse.GetValue(formula)!, parse.GetValue(at), parse.GetValue(wrt), parse.GetValue(json), stdout, stderr)));
        return command;
    }

    public static int Run(string text, string? at, string? wrt, bool json, TextWriter stdout, TextWriter stderr)
    {
        var formula = Formula.Parse(text);
        var values = Assignments.ParseAt(at);
        var (graph, names) = Assignments.Evaluate(formula, values, wrt, stderr);

        if (NonFiniteTrace.FirstInForward(graph) is { } forward)
        {
            stderr.WriteLine($"error: {forward}");
            return NotFinite;
        }
        graph.Output.Backward();
        if (NonFiniteTrace.FirstInBackward(graph, names) is { } backward)
        {
            stderr.WriteLine($"error: {backward}");
            return NotFinite;
        }

        if (json)
        {
            stdout.WriteLine(Json.Write(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("value");
                Json.Number(w, graph.Output.Data);
                w.WriteStartObject("gradient");
                foreach (var name in names)
                {
                    w.WritePropertyName(name);
                    Json.Number(w, graph.Variables[name].Grad);
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }));
            return 0;
        }

        string output = formula.OutputName ?? "f";
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow(Markup.Escape(output), Format(graph.Output.Data));
        foreach (var name in names)
            table.AddRow(Markup.Escape($"∂{output}/∂{name}"), Format(graph.Variables[name].Grad));
        Terminal.For(stdout).Write(table);
        return 0;
    }

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
