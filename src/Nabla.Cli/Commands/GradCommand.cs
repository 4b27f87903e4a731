using System.CommandLine;
using System.Globalization;
using Nabla.Formulas;
using Spectre.Console;
using Nabla.IO;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla grad "&lt;formula&gt;" --at "x=2.3,..." [--wrt a,b] [--hessian] [--json]</c>: the formula's value and its
/// gradient with respect to every free variable (or those named), and with <c>--hessian</c> the matrix of second
/// derivatives over the same variables (forward-over-reverse on the recorded graph, <see cref="Scalars.Value.Hessian"/>).
/// Exit 0 on success, 2 for bad input, 3 when the value, a gradient or a Hessian entry is not finite.
/// </summary>
public static class GradCommand
{
    public const int NotFinite = 3;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var formula = FormulaOptions.Formula();
        var at = FormulaOptions.At();
        var wrt = FormulaOptions.Wrt();
        var hessian = new Option<bool>("--hessian") { Description = "Also print the Hessian (second derivatives) over the same variables." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {\"value\": v, \"gradient\": {...}} (and \"hessian\": {\"x\": {\"x\": ..., ...}, ...} with --hessian)." };
        var command = new Command("grad", "Evaluate a formula and its gradient with respect to its variables.") { formula, at, wrt, hessian, json };
        command.SetAction(parse => CliAction.Guard(stderr, () =>
            Run(parse.GetValue(formula)!, parse.GetValue(at), parse.GetValue(wrt), parse.GetValue(json), stdout, stderr, parse.GetValue(hessian))));
        return command;
    }

    public static int Run(string text, string? at, string? wrt, bool json, TextWriter stdout, TextWriter stderr, bool hessian = false)
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
        double[,]? second = hessian ? graph.Output.Hessian(names.Select(n => graph.Variables[n]).ToList()) : null;
        if (second is not null && FirstNonFinite(second, names, formula.OutputName ?? "f") is { } entry)
        {
            stderr.WriteLine($"error: {entry}");
            return NotFinite;
        }

        if (json)
        {
            stdout.WriteLine(Json.Write(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("value");
                JsonNumber.Write(w, graph.Output.Data);
                w.WriteStartObject("gradient");
                foreach (var name in names)
                {
                    w.WritePropertyName(name);
                    JsonNumber.Write(w, graph.Variables[name].Grad);
                }
                w.WriteEndObject();
                if (second is not null)
                {
                    w.WriteStartObject("hessian");
                    for (int i = 0; i < names.Count; i++)
                    {
                        w.WriteStartObject(names[i]);
                        for (int j = 0; j < names.Count; j++)
                        {
                            w.WritePropertyName(names[j]);
                            JsonNumber.Write(w, second[i, j]);
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
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
        if (second is not null)
        {
            stdout.WriteLine($"Hessian ∂²{output}/∂row∂column:");
            Terminal.For(stdout).Write(HessianTable(second, names));
        }
        return 0;
    }

    private static Table HessianTable(double[,] hessian, List<string> names)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("");
        foreach (var name in names) table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        for (int i = 0; i < names.Count; i++)
            table.AddRow([Markup.Escape(names[i]), .. Enumerable.Range(0, names.Count).Select(j => Format(hessian[i, j]))]);
        return table;
    }

    private static string? FirstNonFinite(double[,] hessian, List<string> names, string output)
    {
        for (int i = 0; i < names.Count; i++)
        for (int j = 0; j < names.Count; j++)
            if (!double.IsFinite(hessian[i, j]))
                return $"the second derivative ∂²{output}/∂{names[i]}∂{names[j]} is {Format(hessian[i, j])} at these values";
        return null;
    }

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
