using System.Text.RegularExpressions;
using Nabla.Data;

namespace Nabla.Tests.Cli;

/// <summary>
/// What a new user typed and got back: help that says each default once, parse errors that point at the right
/// token, a malformed arch.json in one line, repeated options, CSV separators, and every writer creating its folder.
/// </summary>
public sealed class CliInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-cli-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static string OneLineError(params string[] args)
    {
        var (exit, _, stderr) = CliRunner.Run(args);
        Assert.True(exit == 2, $"exit {exit} for {string.Join(' ', args)}; stderr: {stderr}");
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        return line;
    }

    [Theory]
    [InlineData("train")]
    [InlineData("explain")]
    [InlineData("predict")]
    [InlineData("graph")]
    public void Help_states_each_default_once(string command)
    {
        var (exit, stdout, _) = CliRunner.Run(command, "--help");
        Assert.Equal(0, exit);
        foreach (var line in stdout.Split('\n'))
            Assert.True(Regex.Matches(line, @"default", RegexOptions.IgnoreCase).Count <= 1, $"the default twice: {line}");
        if (command == "train")
        {
            Assert.Contains("how many rows (default 200).", stdout);
            Assert.DoesNotContain("[default: 200]", stdout);
        }
        if (command == "explain") Assert.Contains("[default: text]", stdout); // a default the description does not state is kept
    }

    [Fact]
    public void The_command_list_shows_an_optional_formula_in_brackets_and_stays_aligned()
    {
        var (_, stdout, _) = CliRunner.Run("--help");
        var rows = stdout.Split('\n').SkipWhile(l => l != "Commands:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Contains(rows, r => r.StartsWith("  explain [<formula>]  ", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("  graph [<formula>]  ", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("  grad <formula>  ", StringComparison.Ordinal));
        // Every description starts in the same column.
        Assert.Single(rows.Select(r => Regex.Match(r, @"^  \S.*?\s{2,}(?=\S)").Length).Distinct());
    }

    [Theory]
    [InlineData("sin(x", "expected ')' to close the call to sin, but the formula ends at column 6", 6)]
    [InlineData("sin(x y)", "expected ')' to close the call to sin, found 'y' at column 7", 7)]
    public void A_parse_error_names_its_column_once_with_the_caret_under_the_offending_token(string formula, string message, int column)
    {
        var (exit, _, stderr) = CliRunner.Run("grad", formula, "--at", "x=1,y=2");
        Assert.Equal(2, exit);
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.Equal("error: " + message, lines[0]);
        Assert.Single(Regex.Matches(lines[0], "column"));
        Assert.Equal("  " + formula, lines[1]);
        Assert.Equal(2 + column - 1, lines[2].IndexOf('^'));
    }

    [Fact]
    public void A_malformed_arch_json_is_one_line_with_the_file_and_the_position()
    {
        File.WriteAllText(P("arch.json"), "[\"linear 2\",\n relu]");
        string line = OneLineError("train", "--dataset", "moons", "--layers", P("arch.json"));
        Assert.Contains($"{P("arch.json")} is not valid JSON at line 2, column 2", line);
        Assert.DoesNotContain("LineNumber", line);
        Assert.DoesNotContain("BytePositionInLine", line);
    }

    [Fact]
    public void A_repeated_option_is_refused_naming_it()
    {
        Assert.Equal("error: --epochs is given 2 times (2, 3); give it once (see 'nabla train --help')",
            OneLineError("train", "--dataset", "moons", "--epochs", "2", "--epochs", "3"));
        Assert.StartsWith("error: --at is given 2 times", OneLineError("grad", "x*y", "--at", "x=1", "--at", "y=2"));
    }

    [Fact]
    public void An_output_path_that_cannot_be_made_names_the_option()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("/proc refuses new folders on Linux only");
        string line = OneLineError("train", "--dataset", "moons", "--epochs", "1", "--save", "/proc/nope/m.safetensors");
        Assert.StartsWith("error: --save: cannot create the folder '/proc/nope'", line);
        Assert.DoesNotContain("Could not find", line);
    }

    [Fact]
    public void Every_writer_creates_missing_folders_and_says_what_it_wrote()
    {
        var (exit, _, stderr) = CliRunner.Run("train", "--dataset", "moons", "--epochs", "1", "--hidden", "4", "--save", P("a/m.safetensors"));
        Assert.True(exit == 0, stderr);
        File.WriteAllText(P("points.csv"), "x1,x2\n0.5,0.25\n-1,0.5\n");

        var predict = CliRunner.Run("predict", "--model", P("a/m.safetensors"), "--data", P("points.csv"), "--out", P("b/c/p.csv"));
        Assert.True(predict.Exit == 0, predict.Err);
        Assert.Equal($"wrote 2 predictions to {P("b/c/p.csv")}\n", predict.Err);

        var export = CliRunner.Run("export", P("a/m.safetensors"), "--onnx", P("d/m.onnx"));
        Assert.True(export.Exit == 0, export.Err);
        Assert.Equal($"wrote {P("d/m.onnx")}\n", export.Err);

        var graph = CliRunner.Run("graph", "--out", P("e/f/g.svg"));
        Assert.True(graph.Exit == 0, graph.Err);
        Assert.Equal($"wrote {P("e/f/g.svg")}\n", graph.Err);
        Assert.Equal("", graph.Out);

        foreach (var file in new[] { "b/c/p.csv", "d/m.onnx", "e/f/g.svg" }) Assert.True(File.Exists(P(file)), file);
        foreach (var command in new[] { "train", "predict", "export", "graph", "report" })
            Assert.Contains("Missing folders are created.", CliRunner.Run(command, "--help").Out);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    public void A_semicolon_or_tab_separated_file_is_read_by_its_header(char separator)
    {
        string path = P("data.csv");
        File.WriteAllText(path, Table(separator));
        var (exit, stdout, stderr) = CliRunner.Run("train", "--data", path, "--target", "y", "--epochs", "1", "--hidden", "4");
        Assert.True(exit == 0, stderr);
        Assert.Contains("data.csv (8 rows)", stdout);
    }

    [Fact]
    public void Another_separator_is_reported_as_seen_and_accepted_with_delimiter()
    {
        string path = P("pipes.csv");
        File.WriteAllText(path, Table('|'));
        string line = OneLineError("train", "--data", path, "--target", "y", "--epochs", "1");
        Assert.Contains("split by comma, the header is one column, \"a|b|y\"", line);
        var (exit, stdout, stderr) = CliRunner.Run("train", "--data", path, "--target", "y", "--epochs", "1", "--hidden", "4", "--delimiter", "|");
        Assert.True(exit == 0, stderr);
        Assert.Contains("pipes.csv (8 rows)", stdout);
        Assert.StartsWith("error: --delimiter must be comma, semicolon, tab or one character", OneLineError("train", "--data", path, "--target", "y", "--delimiter", "||"));
    }

    [Fact]
    public void Every_command_that_reads_a_csv_file_takes_delimiter()
    {
        string data = P("semi.csv"), model = P("m.safetensors");
        File.WriteAllText(data, Table(';').Replace("y", "y_value"));
        var (exit, _, stderr) = CliRunner.Run("train", "--data", data, "--target", "y_value", "--epochs", "1", "--hidden", "4", "--save", model, "--delimiter", "semicolon");
        Assert.True(exit == 0, stderr);
        foreach (var args in new[]
        {
            new[] { "predict", "--model", model, "--data", data },
            ["evaluate", "--model", model, "--data", data],
            ["explain", "--model", model, "--data", data, "--row", "2"],
        })
        {
            var run = CliRunner.Run([.. args, "--delimiter", ";"]);
            Assert.True(run.Exit == 0, $"{string.Join(' ', args)}: {run.Err}");
            // The wrong separator makes the header one column, and the error says so.
            Assert.Contains("the header is one column, \"a;b;y_value\"", OneLineError([.. args, "--delimiter", "tab"]));
        }
        Assert.Equal("error: --delimiter goes with --model and --data, the CSV file it reads", OneLineError("explain", "--delimiter", ";"));
    }

    [Theory]
    [InlineData("a,b;c\tq", ',')]
    [InlineData("\"a,b\";c;d", ';')]
    [InlineData("a\tb\tc", '\t')]
    [InlineData("a", ',')]
    public void The_separator_is_the_commonest_outside_quotes(string header, char expected) => Assert.Equal(expected, CsvSeparator.Detect(header));

    [Fact]
    public void Explaining_a_regressor_says_its_units_and_never_prints_minus_zero()
    {
        string model = P("sin.safetensors"), data = Path.Combine(Samples.SampleRunner.RepositoryRoot(), "samples", "data", "sin.csv");
        var (exit, _, stderr) = CliRunner.Run("train", "--data", data, "--target", "y", "--hidden", "4", "--epochs", "20", "--save", model);
        Assert.True(exit == 0, stderr);
        int rows = File.ReadAllLines(data).Count(l => l.Trim().Length > 0) - 1;
        for (int row = 1; row <= rows; row++)
        {
            var explained = CliRunner.Run("explain", "--model", model, "--data", data, "--row", row.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(explained.Exit == 0, explained.Err);
            string first = explained.Out.Split('\n')[0];
            Assert.Matches(@"target y = -?[0-9.]+, standardised to -?[0-9.]+ \(mean -?[0-9.]+, std [0-9.]+\); y, the outputs, the loss and the gradients below are in standardised units", first);
            Assert.DoesNotMatch(@"(?<![0-9.])-0(\.0*)?(?![0-9.])", explained.Out);
        }
    }

    // Eight rows, two classes in y, in columns a, b, y separated by the given character.
    private static string Table(char separator) => string.Join('\n', new[] { "a|b|y", "1|2|0", "2|1|1", "3|5|0", "4|2|1", "5|3|0", "6|1|1", "7|2|0", "8|4|1" })
        .Replace('|', separator) + "\n";
}
