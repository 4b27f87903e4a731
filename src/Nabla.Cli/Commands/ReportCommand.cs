using System.CommandLine;
using Nabla.Records;
using Nabla.Reports;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla report run.json [--out report.html] [--title "..."]</c>: reads and validates a run file and writes the
/// interactive training report, one self-contained HTML page, atomically. Prints where it wrote it. Exit 0 on success,
/// 2 when the run file is missing, malformed or inconsistent, or the output cannot be written.
/// </summary>
public static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var run = new Argument<string>("run") { Description = "The run file written by training (run.json)." };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the page (default: the run file's name with .html)." };
        var title = new Option<string>("--title") { Description = "The page title (default: \"Training report\")." };
        var command = new Command("report", "Write an interactive HTML report of a training run.") { run, output, title };
        command.SetAction(parse => CliAction.Guard(stderr, () =>
            Run(parse.GetValue(run)!, parse.GetValue(output), parse.GetValue(title), stdout)));
        return command;
    }

    public static int Run(string runPath, string? outputPath, string? title, TextWriter stdout)
    {
        var record = RunRecord.Load(runPath);
        string target = string.IsNullOrEmpty(outputPath) ? Path.ChangeExtension(runPath, ".html") : outputPath;
        if (Path.GetFullPath(target) == Path.GetFullPath(runPath))
            throw new CliException($"--out: '{target}' is the run file itself; choose another name");
        OutputPaths.Prepare("--out", target);
        OutputPaths.Write("--out", target, () => TrainingReport.Write(record, target, title));
        stdout.WriteLine($"wrote {target} ({Plural.Of(record.Snapshots.Count, "snapshot")}, {Plural.Of(record.Epochs.Count, "epoch")}); open it in a browser");
        return 0;
    }
}
