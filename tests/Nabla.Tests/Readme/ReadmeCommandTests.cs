using System.CommandLine;
using System.Text.RegularExpressions;
using Nabla.Cli;
using Nabla.Tests.Cli;

namespace Nabla.Tests.Readme;

/// <summary>
/// Every command README shows runs, and prints what README says it prints (except the training time); every option
/// in a usage line exists, and every option of a command is in its usage line.
/// </summary>
public sealed partial class ReadmeCommandTests
{
    private const string CliPrefix = "dotnet run --project src/Nabla.Cli -c Release -- ";

    private readonly ReadmeDocument readme = ReadmeDocument.Load();

    [Fact]
    public void The_first_command_writes_into_the_folder_it_names_and_prints_the_transcript()
    {
        using var nabla = new NablaProcess();
        int index = readme.Blocks.FindIndex(b => b.Lines.Length == 1 && b.Lines[0].StartsWith(CliPrefix, StringComparison.Ordinal));
        Assert.True(index >= 0, "README has no first command");
        string command = "nabla " + readme.Blocks[index].Lines[0][CliPrefix.Length..];
        var (exit, stdout, stderr) = nabla.Run(command);
        Assert.True(exit == 0, stderr);
        AssertTranscript(readme.Blocks[index + 1], stdout.TrimEnd('\n').Split('\n'));
        // Only the folder it names: nothing lands beside it.
        Assert.Equal(["out", "samples"], Directory.GetFileSystemEntries(nabla.Folder).Select(Path.GetFileName).Order());
        foreach (var written in Regex.Matches(stdout, @"^wrote \w+ +(\S+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value))
        {
            Assert.StartsWith("out/", written);
            Assert.True(File.Exists(Path.Combine(nabla.Folder, written)), written);
        }
    }

    [Fact]
    public void Every_shell_transcript_prints_what_README_shows()
    {
        using var nabla = new NablaProcess();
        // The transcripts use the first command's model.
        Assert.Equal(0, nabla.Run(FirstCommand()).Exit);
        int transcripts = 0;
        foreach (var block in readme.Blocks.Where(b => b.Lines.Length > 0 && b.Lines[0].StartsWith("$ ", StringComparison.Ordinal)))
        {
            for (int i = 0; i < block.Lines.Length;)
            {
                string command = block.Lines[i][2..];
                int end = i + 1;
                while (end < block.Lines.Length && !block.Lines[end].StartsWith("$ ", StringComparison.Ordinal)) end++;
                string[] expected = block.Lines[(i + 1)..end];
                if (command.StartsWith("cat ", StringComparison.Ordinal))
                    // The file README shows is the file the next command reads.
                    File.WriteAllLines(Path.Combine(nabla.Folder, command[4..]), expected);
                else
                {
                    var (exit, stdout, stderr) = nabla.Run(command);
                    var printed = (stdout + stderr).TrimEnd('\n').Split('\n');
                    Assert.True(exit == 0 || stderr.StartsWith("error:", StringComparison.Ordinal), $"README line {block.Line}: {command} exited {exit}: {stderr}");
                    Assert.True(expected.SequenceEqual(printed),
                        $"README line {block.Line}: {command} prints\n{string.Join('\n', printed)}\nbut README shows\n{string.Join('\n', expected)}");
                    transcripts++;
                }
                i = end;
            }
        }
        Assert.True(transcripts >= 5, $"only {transcripts} transcripts found");
    }

    [Fact]
    public void Every_inline_command_runs_or_names_a_command()
    {
        var root = NablaCli.CreateRoot(TextWriter.Null, TextWriter.Null);
        using var nabla = new NablaProcess();
        // In README's order: after the first command, whose out/ folder the later ones write into.
        Assert.Equal(0, nabla.Run(FirstCommand()).Exit);
        int ran = 0;
        foreach (var span in readme.Spans.Where(s => s.Text.StartsWith("nabla ", StringComparison.Ordinal)))
        {
            var words = NablaProcess.Split(span.Text);
            Assert.True(root.Subcommands.Any(c => c.Name == words[1]), $"README line {span.Line}: '{span.Text}' names no command");
            if (words.Count == 2 || span.Text.Contains('<')) continue; // a command's name, or a pattern such as "<formula>"
            var (exit, _, stderr) = nabla.Run(span.Text);
            Assert.True(exit == 0, $"README line {span.Line}: {span.Text} exited {exit}: {stderr}");
            ran++;
        }
        Assert.True(ran >= 5, $"only {ran} inline commands ran");
        // The samples README names are each run by a test of their own.
        string tests = string.Join('\n', Directory.GetFiles(Path.Combine(Samples.SampleRunner.RepositoryRoot(), "tests", "Nabla.Tests", "Samples"), "*.cs").Select(File.ReadAllText));
        foreach (var span in readme.Spans.Where(s => s.Text.StartsWith("dotnet run samples/", StringComparison.Ordinal)))
        {
            string sample = span.Text["dotnet run samples/".Length..];
            Assert.True(File.Exists(Path.Combine(Samples.SampleRunner.RepositoryRoot(), "samples", sample)), span.Text);
            Assert.Contains($"SampleRunner.Run(\"{sample}\"", tests);
        }
    }

    [Fact]
    public void Usage_lines_name_exactly_the_options_each_command_has()
    {
        var root = NablaCli.CreateRoot(TextWriter.Null, TextWriter.Null);
        var usage = new Dictionary<string, HashSet<string>>();
        foreach (var block in readme.Blocks.Where(b => b.Language == "" && b.Lines.Length > 0 && b.Lines[0].StartsWith("nabla ", StringComparison.Ordinal)))
        {
            string? command = null;
            foreach (var line in block.Lines)
            {
                if (line.StartsWith("nabla ", StringComparison.Ordinal)) command = line.Split(' ')[1];
                usage.TryAdd(command!, []);
                foreach (Match m in Flag().Matches(line)) usage[command!].Add(m.Value);
            }
        }
        Assert.NotEmpty(usage);
        foreach (var (name, flags) in usage)
        {
            var command = root.Subcommands.SingleOrDefault(c => c.Name == name);
            Assert.True(command is not null, $"README shows a usage line for '{name}', which is no command");
            var options = command!.Options.Where(o => o.Name != "--help").SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet();
            foreach (var flag in flags) Assert.True(options.Contains(flag), $"README's usage of '{name}' shows {flag}, which it does not have");
            foreach (var option in command.Options.Where(o => o.Name != "--help"))
                Assert.True(flags.Contains(option.Name), $"README's usage of '{name}' does not show {option.Name}");
        }
        Assert.Equal(root.Subcommands.Select(c => c.Name).Order(), usage.Keys.Order());
    }

    [Fact]
    public void Options_with_a_default_are_not_shown_as_required()
    {
        var root = NablaCli.CreateRoot(TextWriter.Null, TextWriter.Null);
        foreach (var block in readme.Blocks.Where(b => b.Language == "" && b.Lines.Length > 0 && b.Lines[0].StartsWith("nabla ", StringComparison.Ordinal)))
            foreach (var line in block.Lines.Where(l => l.StartsWith("nabla ", StringComparison.Ordinal)))
            {
                var command = root.Subcommands.Single(c => c.Name == line.Split(' ')[1]);
                // A flag outside every [...] is shown as required; it must be one the parser requires.
                string outside = line;
                for (string before = ""; before != outside;) (before, outside) = (outside, Bracketed().Replace(outside, ""));
                foreach (Match m in Flag().Matches(outside))
                {
                    var option = command.Options.Single(o => o.Name == m.Value || o.Aliases.Contains(m.Value));
                    Assert.True(option.Required, $"README shows '{line}' with {m.Value} as required, but it is optional");
                }
            }
    }

    private string FirstCommand() =>
        "nabla " + readme.Blocks.Select(b => b.Lines.FirstOrDefault(l => l.StartsWith(CliPrefix, StringComparison.Ordinal))).First(l => l is not null)![CliPrefix.Length..];

    private static void AssertTranscript(ReadmeDocument.Block expected, string[] printed)
    {
        Assert.True(expected.Lines.Length == printed.Length, $"README line {expected.Line}: {expected.Lines.Length} lines shown, {printed.Length} printed:\n{string.Join('\n', printed)}");
        for (int i = 0; i < printed.Length; i++)
        {
            // The training time is the one number that varies from run to run.
            string shown = Time().Replace(expected.Lines[i], "epochs in # s"), got = Time().Replace(printed[i], "epochs in # s");
            Assert.True(shown.Trim() == got.Trim(), $"README line {expected.Line + 1 + i} shows\n{expected.Lines[i]}\nbut the command prints\n{printed[i]}");
        }
    }

    [GeneratedRegex(@"(?<![\w-])--?[a-z][a-z-]*")]
    private static partial Regex Flag();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"epochs in \d+\.\d+ s")]
    private static partial Regex Time();
}
