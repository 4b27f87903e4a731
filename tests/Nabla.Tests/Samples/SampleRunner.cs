using System.Diagnostics;

namespace Nabla.Tests.Samples;

/// <summary>Runs a sample under samples/ with <c>dotnet run</c>, as a reader of README would.</summary>
public static class SampleRunner
{
    /// <summary>
    /// The samples' test classes share this collection so they run one at a time: each <c>dotnet run</c> builds the
    /// referenced library project, and two builds of one project at once can trip over each other's files.
    /// </summary>
    public const string Collection = "samples run one at a time";

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Nabla.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Nabla.slnx) above the test binaries");
    }

    public static string Run(string sample, params string[] args)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("run");
        start.ArgumentList.Add(Path.Combine("samples", sample));
        if (args.Length > 0) start.ArgumentList.Add("--");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet run samples/{sample} exited {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
