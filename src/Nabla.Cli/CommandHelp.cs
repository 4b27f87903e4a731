using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text.RegularExpressions;

namespace Nabla.Cli;

/// <summary>
/// The part of each command's <c>--help</c> the parser cannot derive: a few examples to copy and what each exit
/// code means. Every example here is run by a test, so none goes stale.
/// </summary>
public static partial class CommandHelp
{
    /// <summary>Examples and exit codes by command name ("nabla" for the root).</summary>
    public static readonly IReadOnlyDictionary<string, (string[] Examples, string[] ExitCodes)> Sections =
        new Dictionary<string, (string[], string[])>
        {
            ["nabla"] = (
                ["nabla train --dataset moons --save out/model.safetensors --report out/report.html",
                 "nabla explain \"y = sin(x) * x\" --at x=2",
                 "nabla train --help"],
                ["0  success", "1  explain: a gradient failed its finite-difference check", "2  bad input: an option, a formula, a file",
                 "3  a value, a gradient or the loss is not finite"]),
            ["train"] = (
                ["nabla train --dataset moons --save out/model.safetensors --record out/run.json --report out/report.html",
                 "nabla train --data samples/data/sin.csv --target y --hidden 8 --epochs 200 --save out/sin.safetensors",
                 "nabla train --dataset spirals --hidden 32,32 --schedule step --epochs 300 --early-stopping 20 --save out/spirals.safetensors"],
                ["0  trained; the outputs are written", "2  bad input: an option, the data, a file that cannot be written",
                 "3  the loss stopped being finite or diverged", "130  interrupted (Ctrl-C): a checkpoint is written"]),
            ["predict"] = (
                ["nabla predict --model out/model.safetensors --data points.csv",
                 "nabla predict --model out/model.safetensors --data points.csv --out out/predictions.csv"],
                ["0  predicted", "2  bad input: the model, the CSV file, the output path"]),
            ["evaluate"] = (
                ["nabla evaluate --model out/sin.safetensors --data samples/data/sin.csv",
                 "nabla evaluate --model out/sin.safetensors --data samples/data/sin.csv --json"],
                ["0  measured", "2  bad input: the model, the CSV file (the target column is needed)"]),
            ["export"] = (
                ["nabla export out/model.safetensors --onnx out/model.onnx",
                 "nabla export out/sin.safetensors --onnx out/sin.onnx"],
                ["0  written", "2  bad input: the model file, the output path"]),
            ["report"] = (
                ["nabla report out/run.json",
                 "nabla report out/run.json -o out/moons.html --title \"Two moons\""],
                ["0  written", "2  the run record is missing, malformed or inconsistent, or the page cannot be written"]),
            ["explain"] = (
                ["nabla explain",
                 "nabla explain \"y = sin(x) * x\" --at x=2 --format markdown",
                 "nabla explain --example dense-layer"],
                ["0  every gradient passes the check", "1  a gradient fails the check", "2  bad input", "3  a value or a gradient is not finite"]),
            ["grad"] = (
                ["nabla grad \"z = x*y + y\" --at x=2,y=3",
                 "nabla grad \"sqrt(x) + log(x)\" --at x=4 --json"],
                ["0  success", "2  bad input", "3  a value or a gradient is not finite"]),
            ["graph"] = (
                ["nabla graph",
                 "nabla graph \"y = x*x + sin(x)\" --at x=1 --out out/graph.svg",
                 "nabla graph --format html --out out/graph.html"],
                ["0  drawn", "2  bad input, or a file that cannot be written", "3  a value or a gradient is not finite"]),
            ["example"] = (
                ["nabla example dense-layer",
                 "nabla example sin-network --data samples/data/sin.csv --json"],
                ["0  success", "2  an unknown example or bad input"]),
        };

    /// <summary>Makes every command's --help end with its examples and exit codes.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        var standard = (HelpAction)help.Action!;
        standard.MaxWidth = Rendering.ConsoleWidth.ForStandardOutput();
        // One rule for every file a command writes, said in each writing option's help.
        foreach (var command in Tree(root))
            foreach (var option in command.Options)
                if (OptionRules.WritesFile(command, option)) option.Description = $"{option.Description} {OutputPaths.HelpNote}";
        help.Action = new WithExamples(standard);
    }

    /// <summary>True when <paramref name="parse"/> asks for help.</summary>
    public static bool IsHelp(ParseResult parse) => parse.Action is WithExamples;

    private static IEnumerable<Command> Tree(Command command) => command.Subcommands.SelectMany(Tree).Prepend(command);

    /// <summary>
    /// The parser's help text made to say each thing once and truly: an option whose description states its default
    /// ("(default 200)") loses the parser's "[default: 200]" after it, and a command listed with an optional argument
    /// shows it in brackets ("explain [&lt;formula&gt;]") as its own usage line does.
    /// </summary>
    public static string Tidy(string help, Command root)
    {
        var lines = RepeatedDefault().Replace(help, "${said}").Split('\n');
        var optional = Tree(root).SelectMany(c => c.Arguments.Where(a => a.Arity.MinimumNumberOfValues == 0)
            .Select(a => ($"  {c.Name} <{a.Name}>", $"  {c.Name} [<{a.Name}>]"))).ToList();
        for (int start = 0; start < lines.Length; start++)
        {
            if (lines[start] != "Commands:") continue;
            int end = start + 1;
            while (end < lines.Length && lines[end].StartsWith("  ", StringComparison.Ordinal)) end++;
            Realign(lines, start + 1, end, optional);
        }
        return string.Join('\n', lines);
    }

    // The rows of a Commands section with optional arguments bracketed, the descriptions aligned again.
    private static void Realign(string[] lines, int start, int end, List<(string Plain, string Bracketed)> optional)
    {
        var rows = new List<(string Name, string Description)>();
        for (int i = start; i < end; i++)
        {
            int gap = lines[i].IndexOf("  ", 2, StringComparison.Ordinal);
            if (gap < 0) return; // a wrapped description: leave the section as the parser wrote it
            string name = lines[i][..gap];
            foreach (var (plain, bracketed) in optional) if (name == plain) name = bracketed;
            rows.Add((name, lines[i][gap..].TrimStart()));
        }
        int width = rows.Max(r => r.Name.Length) + 2;
        for (int i = start; i < end; i++) lines[i] = rows[i - start].Name.PadRight(width) + rows[i - start].Description;
    }

    // "(default …)" then, within the same option's row (no line that starts another option), the parser's "[default: …]".
    [GeneratedRegex(@"(?<said>\(default[^)]*\)(?:(?!\n\s*-)[^\[])*?)\s*\[default: [^\]]*\]")]
    private static partial Regex RepeatedDefault();

    /// <summary>The parser's own help, then the examples and exit codes of the command asked about.</summary>
    internal sealed class WithExamples(HelpAction standard) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parse)
        {
            int exit = standard.Invoke(parse);
            var output = parse.InvocationConfiguration.Output;
            var command = parse.CommandResult.Command;
            if (!Sections.TryGetValue(command is RootCommand ? "nabla" : command.Name, out var section)) return exit;
            output.WriteLine("Examples:");
            foreach (var example in section.Examples) output.WriteLine("  " + example);
            output.WriteLine();
            output.WriteLine("Exit codes:");
            foreach (var code in section.ExitCodes) output.WriteLine("  " + code);
            output.WriteLine();
            return exit;
        }
    }
}
