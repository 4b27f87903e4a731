using Nabla.Records;
using Nabla.Reports;
using Nabla.Tests.IO;

namespace Nabla.Tests.Cli;

public class ReportCommandTests
{
    [Fact]
    public void Report_writes_the_page_and_says_where()
    {
        using var dir = new TempDirectory();
        SyntheticRuns().Save(dir.File("run.json"));
        var (exit, stdout, stderr) = CliRunner.Run("report", dir.File("run.json"), "--out", dir.File("report.html"));
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.StartsWith($"wrote {dir.File("report.html")} (5 snapshots, 10 epochs)", stdout);
        Assert.Contains("id=\"run-data\"", File.ReadAllText(dir.File("report.html")));
    }

    [Fact]
    public void Without_out_the_page_goes_beside_the_run_file()
    {
        using var dir = new TempDirectory();
        SyntheticRuns().Save(dir.File("run.json"));
        var (exit, _, _) = CliRunner.Run("report", dir.File("run.json"));
        Assert.Equal(0, exit);
        Assert.True(File.Exists(dir.File("run.html")));
    }

    [Fact]
    public void A_bad_run_file_exits_2_with_a_message_and_no_stack_trace()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("run.json"), "{\"format\": \"nabla-run\", \"version\": 7}");
        var (exit, stdout, stderr) = CliRunner.Run("report", dir.File("run.json"), "--out", dir.File("report.html"));
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"error: {dir.File("run.json")}: unsupported run file version 7; this Nabla reads version 1\n", stderr.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(dir.File("report.html")));
    }

    [Fact]
    public void A_missing_run_file_exits_2()
    {
        var (exit, _, stderr) = CliRunner.Run("report", "/no/such/run.json");
        Assert.Equal(2, exit);
        Assert.StartsWith("error: /no/such/run.json: no such run file", stderr);
    }

    [Fact]
    public void A_missing_output_folder_is_created_as_for_every_writer()
    {
        using var dir = new TempDirectory();
        SyntheticRuns().Save(dir.File("run.json"));
        var (exit, stdout, stderr) = CliRunner.Run("report", dir.File("run.json"), "--out", dir.File("nope/report.html"));
        Assert.True(exit == 0, stderr);
        Assert.True(File.Exists(dir.File("nope/report.html")));
        Assert.StartsWith($"wrote {dir.File("nope/report.html")}", stdout);
    }

    private static RunRecord SyntheticRuns() => Nabla.Tests.Reports.SyntheticRuns.Classifier();
}
