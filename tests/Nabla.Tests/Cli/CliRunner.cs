using System.Diagnostics;
using System.Globalization;
using Nabla.Cli;
using Nabla.Serialization;

namespace Nabla.Tests.Cli;

/// <summary>Runs the nabla command line in-process, or in a process of its own, and captures what it prints.</summary>
public static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = NablaCli.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Runs nabla in its own process, as a user does. Bit-exact comparisons need it: the CLI's runtime settings
    /// (QuickJitForLoops off) give every run the same optimised loops, while the test host's tiered JIT may run some
    /// kernel loops unoptimised at first, whose float results can differ in the last bit.
    /// </summary>
    public static (int Exit, string Out, string Err) RunApart(params string[] args)
    {
        using var process = Process.Start(Start(args))!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>
    /// Starts a training run with <c>--save <paramref name="save"/></c> in its own process and kills it (as kill -9 does)
    /// as soon as its checkpoint <c>save.ckpt</c> exists; returns the epoch that checkpoint holds, after checking the run
    /// was killed mid-way (a checkpoint, no final save).
    /// </summary>
    public static int KillAtFirstCheckpoint(string[] run, string save)
    {
        string checkpoint = save + ".ckpt";
        using (var process = Process.Start(Start([.. run, "--save", save]))!)
        {
            while (!File.Exists(checkpoint) && !process.HasExited) Thread.Sleep(10);
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        Assert.True(File.Exists(checkpoint), "the killed run wrote no checkpoint");
        Assert.False(File.Exists(save), "the killed run must not have reached its final save");
        return int.Parse(SafetensorsFile.Load(checkpoint).Metadata["nabla.epoch"], CultureInfo.InvariantCulture);
    }

    private static ProcessStartInfo Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nabla.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }
}
