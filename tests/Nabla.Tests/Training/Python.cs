using System.Diagnostics;

namespace Nabla.Tests.Training;

/// <summary>Debian's Python (/usr/bin/python3), for the tests that read Nabla's files from an independent implementation.</summary>
internal static class Python
{
    private const string Executable = "/usr/bin/python3";

    /// <summary>True when Python can import every one of <paramref name="modules"/>.</summary>
    public static bool Has(params string[] modules)
    {
        if (!File.Exists(Executable)) return false;
        var start = new ProcessStartInfo(Executable, ["-c", "import " + string.Join(", ", modules)]) { RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    /// <summary>Runs Python with <paramref name="args"/>; asserts it succeeded and returns what it printed.</summary>
    public static string Run(params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result);
        return stdout;
    }
}
