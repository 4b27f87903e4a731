using System.Text.RegularExpressions;

namespace Nabla.Tests.Readme;

/// <summary>
/// README.md read as a test reads it: its fenced code blocks and inline code spans, each with its line number,
/// leaving out the sections the tests do not own (Performance and Layout, which the lead keeps).
/// </summary>
internal sealed partial class ReadmeDocument
{
    private static readonly string[] Skipped = ["## Performance", "## Layout"];

    public sealed record Block(int Line, string Language, string[] Lines);

    public sealed record Span(int Line, string Text);

    public List<Block> Blocks { get; } = [];

    public List<Span> Spans { get; } = [];

    public static string Path => System.IO.Path.Combine(Samples.SampleRunner.RepositoryRoot(), "README.md");

    public static ReadmeDocument Load()
    {
        var doc = new ReadmeDocument();
        var lines = File.ReadAllLines(Path);
        bool skipping = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith("## ", StringComparison.Ordinal)) skipping = Skipped.Any(s => line.StartsWith(s, StringComparison.Ordinal));
            if (skipping) continue;
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                int start = i;
                var body = new List<string>();
                for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++) body.Add(lines[i]);
                doc.Blocks.Add(new Block(start + 1, line[3..].Trim(), [.. body]));
                continue;
            }
            foreach (Match m in CodeSpan().Matches(line)) doc.Spans.Add(new Span(i + 1, m.Groups[1].Value));
        }
        return doc;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
