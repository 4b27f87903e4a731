using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.Tests.Cli;

namespace Nabla.Tests.Readme;

/// <summary>
/// README's table comparing a conv net with an MLP on the shapes dataset states what its two commands print: each
/// command is run here and its parameter count and final training and validation accuracy compared with the table's
/// row (the time column is the one figure that varies).
/// </summary>
public sealed partial class ShapesTableTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-readme-shapes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("--layers", "| conv ")]
    [InlineData("--hidden", "| MLP ")]
    public void The_table_row_is_what_the_command_prints(string flag, string rowStart)
    {
        string readme = File.ReadAllText(Path.Combine(Samples.SampleRunner.RepositoryRoot(), "README.md"));
        string command = Span().Matches(readme).Select(m => m.Groups[1].Value).Single(c => c.Contains("--dataset shapes") && c.Contains(flag));
        var words = NablaProcess.Split(command).Skip(1).Select(w => w.StartsWith("out/", StringComparison.Ordinal) ? Path.Combine(_dir, w) : w).ToArray();
        var (exit, stdout, stderr) = CliRunner.Run(words);
        Assert.True(exit == 0, stderr);

        var row = readme.Split('\n').Single(l => l.StartsWith(rowStart, StringComparison.Ordinal)).Split('|').Select(c => c.Trim()).ToArray();
        var accuracy = Regex.Match(stdout, @"│ accuracy\s+│\s+([\d.]+ %) │\s+([\d.]+ %) │");
        Assert.True(accuracy.Success, stdout);
        Assert.Equal(row[3], accuracy.Groups[1].Value);
        Assert.Equal(row[4], accuracy.Groups[2].Value);
        long parameters = flag == "--layers"
            ? long.Parse(Regex.Match(stdout, @"\(([\d,]+) parameters\)").Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture)
            : 256 * 40 + 40 + 40 * 4 + 4;   // the MLP 256-40-4: two weight matrices and their biases
        Assert.Equal(parameters.ToString("N0", CultureInfo.InvariantCulture).Replace(",", " "), row[2]);
        if (flag == "--hidden")
        {
            Assert.Contains("an MLP 256-40-4 (relu)", stdout);
            Assert.Equal("MLP 256-40-4 (relu)", row[1]);
        }
        else Assert.Contains($"\"{row[1]}\"", stdout);
    }

    [GeneratedRegex("`(nabla train [^`]+)`")]
    private static partial Regex Span();
}
