using System.CommandLine;
using System.Globalization;
using Nabla.Checking;
using Nabla.Cli.Rendering;
using Nabla.Explain;
using Nabla.Formulas;
using Nabla.Examples;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla explain ["&lt;formula&gt;"] [--at "..."] [--wrt a,b] [--format text|markdown|latex|json]
/// [--check forward|central] [--step h] [--mode reverse|forward]</c>: the chain rule with real numbers — the forward pass,
/// the backward pass with each local derivative, and the gradients checked against finite differences. With
/// <c>--mode forward --wrt x</c>, the forward-mode table follows: every node's value and tangent ∂node/∂x with
/// the local derivatives it multiplies (the reverse tables are then limited to x).
/// Without a formula it explains the toy model of notebook 004 at the notebook's values (--at changes
/// some of them). Exit 0 when every gradient passes the check, 1 when one fails, 2 for bad input,
/// 3 when a value or a gradient is not finite.
/// </summary>
public static class ExplainCommand
{
    public const int CheckFailed = 1;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var formula = FormulaOptions.FormulaOrToyModel();
        var at = FormulaOptions.At(toyModelDefault: true);
        var wrt = FormulaOptions.Wrt();
        var format = new Option<string>("--format") { Description = "text, markdown, latex or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "markdown", "latex", "json");
        var check = new Option<string>("--check")
        {
            Description = "central: (f(v+h) - f(v-h))/2h, |a - n| <= 1e-5 + 1e-3|n| (PyTorch gradcheck); forward: (f(v+h) - f(v))/h, |a - n| <= 1e-8 + 1e-5|n| (the notebooks, NumPy allclose).",
            DefaultValueFactory = _ => "central",
        };
        check.AcceptOnlyFromAmong("central", "forward");
        var step = new Option<string>("--step") { Description = "The finite-difference step h (default 1e-6)." };
        var mode = new Option<string>("--mode")
        {
            Description = "reverse (default): the backward pass; forward: also the forward-mode tangents along the one variable named by --wrt.",
            DefaultValueFactory = _ => "reverse",
        };
        mode.AcceptOnlyFromAmong("reverse", "forward");
        var example = new Option<string>("--example")
        {
            Description = "Explain a notebook network in matrix form instead of a formula: " + string.Join(", ", Nabla.Explain.Networks.NetworkExamples.Names) +
                "; or conv1d, a 1-D convolution's gradients written out; or attention, one attention head's.",
        };
        example.AcceptOnlyFromAmong([.. Nabla.Explain.Networks.NetworkExamples.Names, ExplainConv1d.Name, ExplainAttention.Name]);
        var model = new Option<string>("--model") { Description = "Explain a trained model (nabla train --save) in matrix form on one row of --data." };
        var data = new Option<string>("--data") { Description = "With --model: the CSV file holding the row (its features and target columns)." };
        var row = new Option<int?>("--row") { Description = "With --model: the data row to explain, 1 = the first row after the header (default 1)." };
        var command = new Command("explain", "Explain the chain rule for a formula, step by step, with real numbers, checked by finite differences.")
        {
            formula, at, wrt, format, check, step, mode, example, model, data, row,
        };
        command.Options.Add(DelimiterOption.Create()); // read by name in ExplainNetwork
        command.SetAction(parse => CliAction.Guard(stderr, () => ExplainNetwork.Wanted(parse, example, model, data, row)
            ? ExplainNetwork.Run(parse, formula, at, wrt, mode, example, model, data, row, parse.GetValue(format)!, stdout, stderr)
            : Run(
            parse.GetValue(formula), parse.GetValue(at), parse.GetValue(wrt), parse.GetValue(format)!,
            parse.GetValue(check)!, parse.GetValue(step), stdout, stderr, parse.GetValue(mode) == "forward")));
        return command;
    }

    public static int Run(string? text, string? at, string? wrt, string format, string check, string? step,
        TextWriter stdout, TextWriter stderr, bool forwardMode = false)
    {
        var options = Options(check, step);
        var formula = Formula.Parse(text ?? Notebook004.Formula);
        var values = Assignments.ParseAt(at);
        if (text is null) values = Merge(Notebook004.At, values);
        if (forwardMode) wrt = Seed(formula, wrt);
        var (graph, names) = Assignments.Evaluate(formula, values, wrt, stderr);

        if (NonFiniteTrace.FirstInForward(graph) is { } forward)
        {
            stderr.WriteLine($"error: {forward}");
            return GradCommand.NotFinite;
        }
        var explanation = Explanation.Of(graph, names);
        if (NonFiniteTrace.FirstInBackward(graph, names) is { } backward)
        {
            stderr.WriteLine($"error: {backward}");
            return GradCommand.NotFinite;
        }

        var report = GradCheck.Check(v => formula.Evaluate(v).Output.Data, values, explanation.Gradient, options);
        var tangents = forwardMode ? ForwardModeExplanation.Of(graph, wrt!) : null;
        switch (format)
        {
            case "json": stdout.WriteLine(JsonRenderer.Render(explanation, report, tangents)); break;
            case "markdown": stdout.Write(MarkdownRenderer.Render(explanation, report, tangents)); break;
            case "latex": stdout.Write(LatexRenderer.Render(explanation, report, tangents)); break;
            default:
                var console = Terminal.For(stdout);
                ExplanationText.Render(console, explanation, report);
                if (tangents is not null) ForwardModeText.Render(console, tangents);
                break;
        }
        if (report.Message is { } message)
        {
            stderr.WriteLine(message);
            return CheckFailed;
        }
        return 0;
    }

    // Forward mode follows one direction: the variable --wrt names, or the formula's only variable.
    private static string Seed(Formula formula, string? wrt)
    {
        var names = Assignments.ParseNames(wrt);
        string variables = formula.Variables.Count == 0 ? "none" : string.Join(", ", formula.Variables);
        if (names is null)
        {
            if (formula.Variables.Count == 1) return formula.Variables[0];
            throw new CliException($"--mode forward follows one variable: name it with --wrt (the formula's variables: {variables})");
        }
        if (names.Count != 1)
            throw new CliException($"--mode forward follows one variable, but --wrt names {names.Count} ({string.Join(", ", names)}); name one of: {variables}");
        return names[0];
    }

    private static GradCheckOptions Options(string check, string? step)
    {
        var options = GradCheckOptions.For(check == "forward" ? FiniteDifference.Forward : FiniteDifference.Central);
        if (step is null) return options;
        if (!double.TryParse(step, NumberStyles.Float, CultureInfo.InvariantCulture, out double h) || !double.IsFinite(h) || h <= 0)
            throw new CliException($"--step: expected a positive number such as 1e-6, found \"{step}\"");
        return options with { Step = h };
    }

    private static Dictionary<string, double> Merge(IReadOnlyDictionary<string, double> defaults, Dictionary<string, double> changes)
    {
        var merged = new Dictionary<string, double>(defaults);
        foreach (var (name, value) in changes)
        {
            if (!merged.ContainsKey(name))
                throw new CliException($"--at: the toy model has no variable '{name}' (its variables: {string.Join(", ", defaults.Keys)})");
            merged[name] = value;
        }
        return merged;
    }
}
