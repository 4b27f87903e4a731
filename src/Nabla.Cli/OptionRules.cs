using System.CommandLine;
using System.CommandLine.Completions;
using System.Globalization;
using Nabla.Cli.Commands;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Cli;

/// <summary>
/// What a valid value of each option is, checked on the text the user typed, before any command runs. One table
/// for all commands, so "--epochs 2.5" and "--seed -1" are refused in the same words everywhere, and an option a
/// command adds later (--early-stopping) is checked as soon as its name is here.
/// </summary>
public static class OptionRules
{
    /// <summary>Checks one value: null when it is valid, otherwise the one-line reason, naming the option.</summary>
    public delegate string? Rule(string option, string text);

    // By option name alone: the same name means the same thing in every command.
    private static readonly Dictionary<string, Rule> ByName = new()
    {
        ["--epochs"] = WholeNumber(1),
        ["--batch-size"] = WholeNumber(1),
        ["--samples"] = WholeNumber(4),
        ["--seed"] = WholeNumber(0, uint.MaxValue),
        ["--checkpoint-every"] = WholeNumber(1),
        ["--snapshots"] = WholeNumber(2),
        ["--early-stopping"] = WholeNumber(1),
        ["--warmup"] = WholeNumber(1),
        ["--lr"] = Number("a number > 0", v => v > 0),
        ["--momentum"] = Number("a number in [0, 1)", v => v is >= 0 and < 1),
        ["--weight-decay"] = Number("a number ≥ 0", v => v >= 0),
        ["--clip-grad"] = Number("a number > 0", v => v > 0),
        ["--validation"] = Number("a fraction in [0, 1)", v => v is >= 0 and < 1),
        ["--noise"] = Number("a number ≥ 0", v => v >= 0),
        ["--step"] = Number("a number > 0 such as 1e-6", v => v > 0),
        ["--hidden"] = LayerSizes,
        ["--delimiter"] = DelimiterOption.Problem,
        ["--dataset"] = OneOf(LabeledTable.DatasetNames),
        ["--model"] = InputFile("a model file"),
        ["--checkpoint"] = OutputFile([], "a checkpoint", createsFolder: true),
        ["--save"] = SaveFile,
        ["--plot"] = OutputFile([".svg"], "an SVG chart", createsFolder: true),
        ["--record"] = OutputFile([".json"], "a JSON run record", createsFolder: true),
        ["--report"] = OutputFile([".html"], "an HTML page", createsFolder: true),
    };

    // Where the same name means different things in different commands.
    private static readonly Dictionary<(string Command, string Symbol), Rule> ByCommand = new()
    {
        [("train", "--data")] = InputFile("a CSV file"),
        [("predict", "--data")] = InputFile("a CSV file"),
        [("evaluate", "--data")] = InputFile("a CSV file"),
        [("predict", "--out")] = OutputFile([".csv"], "CSV", createsFolder: true),
        [("report", "--out")] = OutputFile([".html"], "an HTML page", createsFolder: true),
        [("report", "run")] = RunRecordFile,
        [("graph", "--out")] = OutputFile([], "a graph", createsFolder: true),
        [("example", "name")] = OneOf(ExampleCommand.Names.Select(n => n.Name).ToArray()),
        [("explain", "--data")] = InputFile("a CSV file"),
        [("explain", "--row")] = WholeNumber(1),
        [("explain", "--model")] = (_, _) => null, // explain says first which options --model needs, then reads the file
        [("export", "model")] = InputFile("a model file"),
        [("export", "--onnx")] = OutputFile([".onnx"], "ONNX", createsFolder: true),
    };

    /// <summary>
    /// <paramref name="value"/> when it meets the rule of <paramref name="option"/> (the rule its text meets on the
    /// command line); otherwise throws the rule's message, so settings made in code are held to the same rule.
    /// </summary>
    /// <exception cref="NablaException">The value breaks the rule.</exception>
    public static int Require(string option, int value) => Check(option, value.ToString(CultureInfo.InvariantCulture), value);

    /// <inheritdoc cref="Require(string, int)"/>
    public static double Require(string option, double value) => Check(option, value.ToString("R", CultureInfo.InvariantCulture), value);

    /// <inheritdoc cref="Require(string, int)"/>
    public static int[] Require(string option, int[] value) =>
        Check(option, string.Join(",", (value ?? throw new ArgumentNullException(nameof(value))).Select(v => v.ToString(CultureInfo.InvariantCulture))), value);

    private static T Check<T>(string option, string text, T value) =>
        ByName[option](option, text) is { } problem ? throw new NablaException(problem) : value;

    /// <summary>True when <paramref name="option"/> of <paramref name="command"/> names a file the command writes.</summary>
    public static bool WritesFile(Command command, Option option) =>
        option.Name is "--save" or "--checkpoint" or "--plot" or "--record" or "--report"
        || (command.Name, option.Name) is ("predict", "--out") or ("report", "--out") or ("graph", "--out") or ("export", "--onnx");

    /// <summary>The rule for <paramref name="symbol"/> of <paramref name="command"/>, if the table has one.</summary>
    public static Rule? For(Command command, Symbol symbol)
    {
        if (ByCommand.TryGetValue((command.Name, symbol.Name), out var rule)) return rule;
        if (symbol is Option && ByName.TryGetValue(symbol.Name, out rule)) return rule;
        return AllowedValues(symbol) is { Length: > 0 } allowed ? OneOf(allowed) : null;
    }

    /// <summary>The values an option or argument accepts when it lists them (AcceptOnlyFromAmong), else empty.</summary>
    public static string[] AllowedValues(Symbol symbol) => symbol switch
    {
        Option { ValueType: var t } option when t == typeof(string) => Labels(option.GetCompletions(CompletionContext.Empty)),
        Argument { ValueType: var t } argument when t == typeof(string) => Labels(argument.GetCompletions(CompletionContext.Empty)),
        _ => [],
    };

    private static string[] Labels(IEnumerable<CompletionItem> items) => items.Select(i => i.Label).ToArray();

    /// <summary>The words for a value of <paramref name="type"/> when no rule says more.</summary>
    public static string Expected(Type type) =>
        type == typeof(int) || type == typeof(uint) || type == typeof(long) ? "a whole number"
        : type == typeof(double) || type == typeof(float) ? "a number"
        : type == typeof(bool) ? "true or false (or nothing)"
        : "a value";

    /// <summary>A whole number in [min, max].</summary>
    public static Rule WholeNumber(long min, long max = int.MaxValue) => (option, text) =>
    {
        string expected = max == int.MaxValue || max == uint.MaxValue ? $"a whole number ≥ {min}" : $"a whole number from {min} to {max}";
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max
            ? null : $"{option} must be {expected}, got {text}";
    };

    /// <summary>A finite number for which <paramref name="accepts"/> holds, described as <paramref name="expected"/>.</summary>
    public static Rule Number(string expected, Func<double, bool> accepts) => (option, text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && accepts(v)
            ? null : $"{option} must be {expected}, got {text}";

    /// <summary>One of <paramref name="allowed"/>, listed inline, with the nearest one suggested.</summary>
    public static Rule OneOf(string[] allowed) => (option, text) =>
        allowed.Contains(text) ? null
        : $"{option} must be one of {string.Join(", ", allowed)}; got '{text}'{Suggestions.DidYouMean(text, allowed)}";

    private static string? LayerSizes(string option, string text)
    {
        var parts = text.Split(',');
        return parts.All(p => int.TryParse(p.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1)
            ? null : $"{option} must be layer sizes separated by commas, each a whole number ≥ 1 (such as 16,16), got '{text}'";
    }

    /// <summary>A file that exists and is not a folder.</summary>
    public static Rule InputFile(string kind) => (option, text) =>
        Directory.Exists(text) ? $"{option}: '{text}' is a folder, not {kind}"
        : !File.Exists(text) ? $"{option}: there is no file '{text}'"
        : null;

    /// <summary>
    /// A file name, not a folder, ending in one of <paramref name="suffixes"/> (any when empty), in a folder that exists
    /// unless the command creates it.
    /// </summary>
    public static Rule OutputFile(string[] suffixes, string kind, bool createsFolder) => (option, text) =>
    {
        if (text.Length == 0) return $"{option} needs a file name";
        if (Path.EndsInDirectorySeparator(text) || Directory.Exists(text))
            return $"{option}: '{text}' is a folder; give a file name{(suffixes.Length > 0 ? " ending in " + suffixes[0] : "")}";
        if (suffixes.Length > 0 && !suffixes.Any(s => text.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
            return $"{option} writes {kind}, so its file name must end in {string.Join(" or ", suffixes)}, got '{text}'";
        string folder = Path.GetDirectoryName(Path.GetFullPath(text))!;
        if (!createsFolder && !Directory.Exists(folder)) return $"{option}: the folder '{folder}' does not exist";
        if (createsFolder && File.Exists(folder)) return $"{option}: '{folder}' is a file, so it cannot hold '{Path.GetFileName(text)}'";
        return null;
    };

    // The record's own validation says what is wrong inside it; this catches the wrong kind of file in plain words.
    private static string? RunRecordFile(string option, string text)
    {
        if (Directory.Exists(text)) return $"{text} is a folder, not a run record";
        if (!File.Exists(text)) return $"{text}: no such run file";
        using var stream = File.OpenRead(text);
        int first;
        do first = stream.ReadByte(); while (first is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF);
        return first == '{' ? null
            : $"{text} is not a run record: it does not start with '{{' (a run record is the JSON file that 'nabla train --record run.json' writes)";
    }

    private static string? SaveFile(string option, string text) =>
        text.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
            ? $"{option} writes safetensors (.safetensors); for ONNX, train with --save model.safetensors, then run 'nabla export'"
            : OutputFile([".safetensors"], "safetensors", createsFolder: true)(option, text);
}
