using System.Text.RegularExpressions;
using Nabla.Tests.Samples;

namespace Nabla.Tests.Packaging;

/// <summary>
/// The libraries know nothing of the command line: no string in Nabla.Core, Nabla.Training or Nabla.App names a
/// flag or a <c>nabla</c> command. Their errors name the setting (<see cref="NablaException.Setting"/>) and the CLI
/// shows its flag, so a library user never reads advice about options they cannot pass.
/// </summary>
public sealed partial class LibraryFlagTests
{
    private static readonly string[] Libraries = ["Nabla.Core", "Nabla.Training", "Nabla.App"];

    [Fact]
    public void No_library_string_names_a_command_line_flag_or_command()
    {
        string root = SampleRunner.RepositoryRoot();
        // The commands as the CLI declares them, so a new command is covered without editing this test.
        var commands = Directory.GetFiles(Path.Combine(root, "src", "Nabla.Cli"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => CommandName().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("train", commands);
        var named = new Regex($@"\bnabla ({string.Join("|", commands)})\b");
        var found = new List<string>();
        foreach (var library in Libraries)
        {
            var dir = Path.Combine(root, "src", library);
            foreach (var file in Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories))
            {
                if (IsBuildOutput(Path.GetRelativePath(dir, file))) continue;
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                    foreach (Match literal in StringLiteral().Matches(lines[i]))
                        if (Flag().IsMatch(literal.Value) || named.IsMatch(literal.Value))
                            found.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {literal.Value}");
            }
        }
        Assert.True(found.Count == 0, "library strings that name a CLI flag or command (give the exception a Setting instead, "
            + "and map it in src/Nabla.Cli/SettingFlags.cs):\n" + string.Join("\n", found));
    }

    [Theory]
    [InlineData("\"e.g. --at x=1\"", true)]
    [InlineData("$\"{path}: use --save\"", true)]
    [InlineData("\"trained by nabla train\"", true)]
    [InlineData("\"background:var(--pos)\"", false)]   // a CSS custom property, not a flag
    [InlineData("\"a -- b\"", false)]
    [InlineData("\"nabla.kind\"", false)]
    public void The_search_finds_flags_and_commands_in_string_literals(string line, bool flagged)
    {
        var named = new Regex(@"\bnabla (train|predict)\b");
        bool found = StringLiteral().Matches(line).Any(m => Flag().IsMatch(m.Value) || named.IsMatch(m.Value));
        Assert.Equal(flagged, found);
    }

    private static bool IsBuildOutput(string relative) =>
        relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    [GeneratedRegex(@"new Command\(""([a-z][a-z-]*)""")]
    private static partial Regex CommandName();

    // A quoted run on one line (regular, interpolated or verbatim), with escaped quotes inside.
    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    // Two dashes then a letter, not after a word character, a dash or "var(" (CSS custom properties are not flags).
    [GeneratedRegex(@"(?<![\w-])(?<!var\()--[A-Za-z]")]
    private static partial Regex Flag();
}
