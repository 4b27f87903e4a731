using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Nabla.Reports.Assets;
using Nabla.Tests.Samples;

namespace Nabla.Tests.Reports;

/// <summary>
/// The HTML pages' scripts (src/Nabla.App/Reports/Assets/*.js) pass eslint with the repository's eslint.config.mjs, and
/// what the pages inline is exactly those files. Without node, or without eslint installed (<c>npm ci</c> at the
/// repository's root, which .ci/run does when npm exists), the eslint tests are reported as skipped, with the reason.
/// </summary>
public class PageAssetLintTests
{
    private static readonly string Root = SampleRunner.RepositoryRoot();

    private static readonly string Assets = Path.Combine(Root, "src", "Nabla.App", "Reports", "Assets");

    [Fact]
    public void Eslint_reports_no_problem_in_the_pages_scripts()
    {
        var (exit, output, errors) = Eslint("--max-warnings", "0");
        Assert.True(exit == 0, $"eslint exited with {exit}:\n{output}{errors}");
    }

    [Fact]
    public void Eslint_checks_every_script_the_pages_inline()
    {
        var (exit, output, errors) = Eslint("--format", "json");
        Assert.True(exit is 0 or 1, $"eslint exited with {exit}:\n{errors}");
        var linted = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .Select(file => Path.GetFullPath(file.GetProperty("filePath").GetString()!)).ToHashSet();
        string[] scripts = Directory.GetFiles(Assets, "*.js");
        Assert.True(scripts.Length >= 2, $"no scripts found in {Assets}");
        foreach (string script in scripts)
            Assert.True(linted.Contains(Path.GetFullPath(script)), $"eslint did not check {script}; it checked {string.Join(", ", linted)}");
    }

    [Fact]
    public void The_pages_inline_the_asset_files_as_they_are_on_disk()
    {
        // eslint lints each training-report part inside the script made of all of them in file-name order.
        string[] parts = Directory.GetFiles(Assets, "training-report-*.js").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(parts, ReportAssets.TrainingReportParts);
        // Each part opens with a comment for its reader that the page leaves out: up to the first line ending in */.
        string joined = string.Concat(parts.Select(part => Disk(part)).Select(text =>
        {
            Assert.StartsWith("/*", text);
            return string.Join('\n', text.Split('\n').SkipWhile(line => !line.EndsWith("*/", StringComparison.Ordinal)).Skip(1));
        }));
        Assert.Equal("(function () {\n'use strict';\n" + joined + "})();\n", ReportAssets.TrainingReportScript);
        Assert.Equal(Disk("graph.js"), ReportAssets.GraphScript);
        Assert.Equal(Disk("page.css"), ReportAssets.PageCss);
        Assert.Equal(Disk("training-report.css"), ReportAssets.TrainingReportCss);
    }

    [Fact]
    public void A_part_whose_opening_comment_never_ends_is_refused_by_name()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ReportAssets.WithoutOpeningComment("training-report-9-x.js", "/* never closed\nrun();\n"));
        Assert.Contains("'training-report-9-x.js'", e.Message);
        Assert.Equal("run();\n", ReportAssets.WithoutOpeningComment("training-report-9-x.js", "/*\n * what it draws\n */\nrun();\n"));
    }

    private static string Disk(string file) => File.ReadAllText(Path.Combine(Assets, file)).Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>Runs the repository's eslint over its default files from the repository's root; skips the test when it cannot.</summary>
    private static (int Exit, string Output, string Errors) Eslint(params string[] args)
    {
        string eslint = Path.Combine(Root, "node_modules", "eslint", "bin", "eslint.js");
        if (!File.Exists(eslint))
            Assert.Skip($"eslint did not run: {eslint} is missing (run 'npm ci' at the repository's root; .ci/run does when npm exists)");
        var info = new ProcessStartInfo("node") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(eslint);
        foreach (string arg in args) info.ArgumentList.Add(arg);
        Process process;
        try { process = Process.Start(info)!; }
        catch (Win32Exception e) { Assert.Skip($"eslint did not run: node is not installed ({e.Message}; apt-get install -y nodejs npm)"); throw; }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("eslint did not finish within 3 minutes");
            }
            return (process.ExitCode, stdout, stderr.Result);
        }
    }
}
