using System.CommandLine;
using Nabla.Data;

namespace Nabla.Cli;

/// <summary><c>--delimiter</c>, for every command that reads a CSV file: the field separator, when detection is not enough.</summary>
public static class DelimiterOption
{
    /// <summary>A new <c>--delimiter</c> option.</summary>
    public static Option<string> Create() => new("--delimiter")
    {
        Description = "The CSV field separator: comma, semicolon, tab or any one character (default: detected from the header line: comma, semicolon or tab).",
    };

    /// <summary>The separator <paramref name="text"/> names, or null (detect it) when the option is absent.</summary>
    public static char? Value(string? text) => text is null ? null
        : CsvSeparator.Parse(text) ?? throw new CliException(Problem("--delimiter", text)!);

    /// <summary>The option's rule: null when <paramref name="text"/> names a separator, otherwise why not.</summary>
    public static string? Problem(string option, string text) => CsvSeparator.Parse(text) is null
        ? $"{option} must be comma, semicolon, tab or one character (not a quote or a line break), got '{text}'" : null;
}
