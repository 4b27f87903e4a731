using Nabla.Cli;
using Nabla.Cli.Commands;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Tests.Cli;

/// <summary>The issue's reproductions: every bad command line gets one line on stderr, exit 2, and the help to read.</summary>
public sealed class ParseErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-cli-parse-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string OneLineError(params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);
        Assert.True(exit == 2, $"exit {exit} for {string.Join(' ', args)}; stderr: {stderr}");
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{stderr}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.DoesNotContain("System.", lines[0]);
        return lines[0];
    }

    [Theory]
    [InlineData("trian", "unknown command 'trian'; did you mean 'train'?", "(see 'nabla --help')")]
    [InlineData("predcit", "did you mean 'predict'?", "(see 'nabla --help')")]
    [InlineData("train --datset moons", "unknown option '--datset'; did you mean '--dataset'?", "(see 'nabla train --help')")]
    [InlineData("train --epoch 5", "unknown option '--epoch'; did you mean '--epochs'?", "(see 'nabla train --help')")]
    [InlineData("graph --fromat svg", "did you mean '--format'?", "(see 'nabla graph --help')")]
    [InlineData("explain --chek forward", "did you mean '--check'?", "(see 'nabla explain --help')")]
    public void Misspelled_commands_and_options_get_a_suggestion_and_the_right_help(string line, string message, string help)
    {
        string error = OneLineError(line.Split(' '));
        Assert.Contains(message, error);
        Assert.EndsWith(help, error);
    }

    [Fact]
    public void A_word_far_from_every_command_lists_the_commands_instead()
    {
        string error = OneLineError("zzzzzz");
        var commands = NablaCli.CreateRoot(TextWriter.Null, TextWriter.Null).Subcommands.Select(c => c.Name).ToArray();
        Assert.Contains("train", commands);
        foreach (var command in commands) Assert.Contains(command, error);
        Assert.Equal($"error: give a command: {string.Join(", ", commands)} (see 'nabla --help')", OneLineError());
    }

    public static TheoryData<string, string, string[]> EnumOptions => new()
    {
        { "train", "--activation", TrainSettings.Activations },
        { "train", "--optimizer", TrainSettings.Optimizers },
        { "train", "--dtype", TrainSettings.DTypes },
        { "train", "--loss", TrainSettings.Losses },
        { "train", "--schedule", TrainSettings.Schedules },
        { "train", "--dataset", LabeledTable.DatasetNames },
        { "explain", "--format", ["text", "markdown", "latex", "json"] },
        { "explain", "--check", ["central", "forward"] },
        { "graph", "--format", ["dot", "svg", "html"] },
        { "example", "bogus", ["sin-network", "deep-relu", "dense-layer", "sigmoid-sgd", "toy-model"] },
    };

    [Theory]
    [MemberData(nameof(EnumOptions))]
    public void An_unknown_value_lists_the_allowed_ones_inline(string command, string option, string[] allowed)
    {
        string error = option.StartsWith("--") ? OneLineError(command, option, "bogus") : OneLineError(command, option);
        Assert.Contains("got 'bogus'", error);
        foreach (var value in allowed) Assert.Contains(value, error);
        Assert.EndsWith($"(see 'nabla {command} --help')", error);
    }

    [Fact]
    public void A_near_miss_value_is_suggested() =>
        Assert.Contains("did you mean 'adam'?", OneLineError("train", "--optimizer", "adma"));

    [Theory]
    [InlineData("--epochs", "2.5", "--epochs must be a whole number ≥ 1, got 2.5")]
    [InlineData("--epochs", "0", "--epochs must be a whole number ≥ 1, got 0")]
    [InlineData("--seed", "-1", "--seed must be a whole number ≥ 0, got -1")]
    [InlineData("--seed", "4294967296", "--seed must be a whole number ≥ 0, got 4294967296")]
    [InlineData("--lr", "abc", "--lr must be a number > 0, got abc")]
    [InlineData("--lr", "0", "--lr must be a number > 0, got 0")]
    [InlineData("--lr", "NaN", "--lr must be a number > 0, got NaN")]
    [InlineData("--batch-size", "-3", "--batch-size must be a whole number ≥ 1, got -3")]
    [InlineData("--momentum", "1", "--momentum must be a number in [0, 1), got 1")]
    [InlineData("--validation", "1.5", "--validation must be a fraction in [0, 1), got 1.5")]
    [InlineData("--noise", "-0.1", "--noise must be a number ≥ 0, got -0.1")]
    [InlineData("--samples", "3", "--samples must be a whole number ≥ 4, got 3")]
    [InlineData("--snapshots", "0", "--snapshots must be a whole number ≥ 2, got 0")]
    [InlineData("--checkpoint-every", "0", "--checkpoint-every must be a whole number ≥ 1, got 0")]
    [InlineData("--hidden", "16,,16", "--hidden must be layer sizes separated by commas, each a whole number ≥ 1 (such as 16,16), got '16,,16'")]
    [InlineData("--hidden", "16,0", "--hidden must be layer sizes separated by commas, each a whole number ≥ 1 (such as 16,16), got '16,0'")]
    public void Numbers_are_checked_in_words(string option, string value, string message) =>
        Assert.Equal($"error: {message} (see 'nabla train --help')", OneLineError("train", "--dataset", "moons", option, value));

    [Fact]
    public void A_huge_learning_rate_is_not_a_parse_error()
    {
        var (_, _, stderr) = CliRunner.Run("train", "--dataset", "moons", "--epochs", "1", "--lr", "1e9");
        Assert.DoesNotContain("--lr must", stderr);
    }

    [Fact]
    public void Output_names_that_do_not_match_what_is_written_are_refused()
    {
        Assert.Contains("--plot writes an SVG chart, so its file name must end in .svg, got", OneLineError("train", "--dataset", "moons", "--plot", P("loss.png")));
        Assert.Contains("'nabla export'", OneLineError("train", "--dataset", "moons", "--save", P("m.onnx")));
        Assert.Contains("--record writes a JSON run record", OneLineError("train", "--dataset", "moons", "--record", P("run.txt")));
        Assert.Contains("--report writes an HTML page", OneLineError("train", "--dataset", "moons", "--report", P("r.pdf")));
        Assert.Contains("--out writes an HTML page", OneLineError("report", WriteRunLikeFile(), "--out", P("r.svg")));
        Assert.Empty(Directory.GetFiles(_dir, "*.png"));
        Assert.Empty(Directory.GetFiles(_dir, "*.onnx"));
    }

    [Fact]
    public void Graph_writes_the_format_its_file_name_says_and_refuses_a_contradiction()
    {
        var (exit, _, stderr) = CliRunner.Run("graph", "--out", P("g.svg"));
        Assert.True(exit == 0, stderr);
        Assert.StartsWith("<svg", File.ReadAllText(P("g.svg")));
        Assert.Contains("is named for svg, but --format is dot", OneLineError("graph", "--format", "dot", "--out", P("h.svg")));
        Assert.Contains("should end in one of", OneLineError("graph", "--out", P("g.png")));
        Assert.False(File.Exists(P("h.svg")));
    }

    [Fact]
    public void Folders_and_missing_files_are_named_plainly()
    {
        Assert.Equal($"error: --data: '{_dir}' is a folder, not a CSV file (see 'nabla train --help')", OneLineError("train", "--data", _dir, "--target", "y"));
        Assert.Contains($"--out: '{P("missing/dir/")}' is a folder; give a file name", OneLineError("graph", "--out", P("missing/dir/")));
        File.WriteAllText(P("plain.txt"), "");
        Assert.Contains($"--out: '{P("plain.txt")}' is a file, so it cannot hold 'g.dot'", OneLineError("graph", "--out", P("plain.txt/g.dot")));
        Assert.Contains("--model: there is no file", OneLineError("predict", "--model", P("none.safetensors"), "--data", P("none.csv")));
        Assert.Equal("error: --model and --data are required (see 'nabla predict --help')", OneLineError("predict"));
        Assert.Equal("error: --model needs a value (see 'nabla predict --help')", OneLineError("predict", "--model"));
        Assert.StartsWith("error: <formula> is missing", OneLineError("grad"));
        Assert.Equal("error: unexpected argument 'y' (see 'nabla grad --help')", OneLineError("grad", "x", "y"));
    }

    [Fact]
    public void A_csv_given_to_report_is_not_a_run_record()
    {
        File.WriteAllText(P("iris.csv"), "sepal_length,species\n5.1,setosa\n");
        Assert.StartsWith($"error: {P("iris.csv")} is not a run record: ", OneLineError("report", P("iris.csv")));
    }

    [Fact]
    public void Every_command_help_shows_examples_and_exit_codes()
    {
        var commands = NablaCli.CreateRoot(TextWriter.Null, TextWriter.Null).Subcommands.Select(c => c.Name);
        foreach (var command in commands.Prepend(""))
        {
            var (exit, stdout, _) = CliRunner.Run(command.Length == 0 ? ["--help"] : [command, "--help"]);
            Assert.Equal(0, exit);
            int examples = stdout.IndexOf("\nExamples:\n", StringComparison.Ordinal), codes = stdout.IndexOf("\nExit codes:\n", StringComparison.Ordinal);
            Assert.True(examples > 0 && codes > examples, $"nabla {command} --help:\n{stdout}");
            int count = stdout[examples..codes].Split('\n').Count(l => l.StartsWith("  nabla ", StringComparison.Ordinal));
            Assert.InRange(count, 2, 3);
            Assert.Contains("  2  ", stdout[codes..]);
        }
    }

    [Fact]
    public void Every_help_example_runs()
    {
        using var nabla = new NablaProcess();
        File.WriteAllText(Path.Combine(nabla.Folder, "points.csv"), "x1,x2\n0,1\n1,-0.5\n");
        // Train first: predict and report read what it writes.
        var order = CommandHelp.Sections.OrderBy(s => s.Key == "train" ? 0 : 1).SelectMany(s => s.Value.Examples).Distinct();
        foreach (var example in order)
        {
            var (exit, stdout, stderr) = nabla.Run(example);
            Assert.True(exit == 0, $"{example} exited {exit}:\n{stdout}\n{stderr}");
        }
    }

    [Theory]
    [InlineData("trian", "train", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("--datset", "--dataset", 1)]
    [InlineData("", "abc", 3)]
    public void Edit_distance_counts_insertions_deletions_substitutions_and_swaps(string a, string b, int distance)
    {
        Assert.Equal(distance, Suggestions.Distance(a, b));
        Assert.Equal(distance, Suggestions.Distance(b, a));
    }

    private string P(string name) => Path.Combine(_dir, name);

    private string WriteRunLikeFile()
    {
        File.WriteAllText(P("run.json"), "{}");
        return P("run.json");
    }
}
