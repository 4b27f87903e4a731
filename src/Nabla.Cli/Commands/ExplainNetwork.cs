using System.CommandLine;
using Nabla.Explain.Networks;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla explain --example deep-relu|dense-layer|sigmoid-sgd</c> and <c>nabla explain --model m.safetensors --data f.csv
/// [--row N]</c>: a network's forward and backward pass in matrix form (z = W·a + b, a = f(z); δ = f′(z) ⊙ ∂L/∂a,
/// ∂L/∂W = δ·aᵀ, ∂L/∂b = δ, ∂L/∂a_in = Wᵀ·δ) with the actual numbers, and sampled weights checked by central
/// differences. Exit 0 when the check passes, 1 when it fails, 2 for bad input, 3 when the loss or a gradient is not finite.
/// </summary>
public static partial class ExplainNetwork
{
    // "-0", "-0." or "-0.000" as a whole number (not the start of -0.5, not an exponent's -05); the space keeps columns aligned.
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![0-9.eE])-(0(?:\.0*)?)(?![0-9.])")]
    private static partial System.Text.RegularExpressions.Regex SignedZero();

    /// <summary>True when the command line asks for a network rather than a formula.</summary>
    public static bool Wanted(ParseResult parse, Option<string> example, Option<string> model, Option<string> data, Option<int?> row) =>
        parse.GetResult(example) is not null || parse.GetResult(model) is not null || parse.GetResult(data) is not null || parse.GetResult(row) is not null
        || parse.GetValue<string>("--delimiter") is not null;

    /// <summary>Checks the options fit together, explains the network and prints it in <paramref name="format"/>.</summary>
    public static int Run(ParseResult parse, Argument<string?> formula, Option<string> at, Option<string> wrt, Option<string> mode,
        Option<string> example, Option<string> model, Option<string> data, Option<int?> row, string format, TextWriter stdout, TextWriter stderr)
    {
        string? name = parse.GetValue(example), modelPath = parse.GetValue(model), dataPath = parse.GetValue(data);
        char? delimiter = DelimiterOption.Value(parse.GetValue<string>("--delimiter"));
        if (delimiter is not null && dataPath is null) throw new CliException("--delimiter goes with --model and --data, the CSV file it reads");
        if (name is not null && modelPath is not null) throw new CliException("--example and --model each name a network: give one of them");
        if (name is null && modelPath is null) throw new CliException("--data and --row go with --model (e.g. --model m.safetensors --data f.csv --row 3)");
        if (parse.GetValue(formula) is not null) throw new CliException("a network is explained instead of a formula: give either a formula or --example/--model");
        foreach (var (option, what) in new[] { ((Option)at, "--at"), (wrt, "--wrt"), (mode, "--mode") })
            if (parse.GetResult(option) is { Implicit: false })
                throw new CliException($"{what} applies to formulas, not to --example or --model");

        NetworkExplanation explanation;
        if (name is not null)
        {
            if (dataPath is not null || parse.GetResult(row) is not null) throw new CliException("--data and --row go with --model, not --example");
            if (name == ExplainConv1d.Name) return ExplainConv1d.Run(format, stdout, stderr);
            if (name == ExplainAttention.Name) return ExplainAttention.Run(format, stdout, stderr);
            explanation = NetworkExamples.Explain(name);
        }
        else
        {
            if (dataPath is null) throw new CliException("--model needs --data: the CSV file holding the row to explain");
            explanation = ModelNetwork.Explain(modelPath!, dataPath, parse.GetValue(row) ?? 1, delimiter);
        }

        if (!double.IsFinite(explanation.Loss) || explanation.Backward.Any(b => b.WeightGradient.Values.Any(v => !double.IsFinite(v))))
        {
            stderr.WriteLine($"error: the loss ({explanation.Loss}) or a weight gradient is not finite for this input");
            return GradCommand.NotFinite;
        }
        string text = format switch
        {
            "json" => NetworkJsonRenderer.Render(explanation) + Environment.NewLine,
            "markdown" => NetworkTextRenderer.Markdown(explanation),
            "latex" => NetworkLatexRenderer.Render(explanation),
            _ => NetworkTextRenderer.Text(explanation),
        };
        // A notebook's example keeps NumPy's "-0." (its output cells print it); a trained model's explanation drops the
        // sign a relu's backward pass puts on zero (0 times a negative number), which reads as a value that is not there.
        stdout.Write(modelPath is null ? text : SignedZero().Replace(text, " $1"));
        if (!explanation.Passed)
        {
            stderr.WriteLine(NetworkTextRenderer.Summary(explanation));
            return ExplainCommand.CheckFailed;
        }
        return 0;
    }
}
