using System.Diagnostics;
using Nabla.Tests.Cli;
using Nabla.Tests.Samples;

namespace Nabla.Tests.Packaging;

/// <summary>
/// The CLI publishes as a Native AOT binary with no trimming or AOT warning, and every command works in it on real
/// input: what the binary prints and writes is what the JIT-compiled CLI prints and writes in-process.
/// </summary>
[Collection(SampleRunner.Collection)]   // publishing builds the library project, as the samples' dotnet run does
public sealed class NativeAotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-aot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void The_native_binary_publishes_without_warnings_and_runs_every_command()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Skip("the Native AOT check publishes for linux-x64 and runs the binary, so it needs a linux-x64 machine.");
        }
        string root = SampleRunner.RepositoryRoot();
        var publish = Run("dotnet", root, "publish", Path.Combine("src", "Nabla.Cli"), "-c", "Release", "-r", "linux-x64",
            "-p:PublishAot=true", "-o", P("bin"));
        Assert.True(publish.Exit == 0, publish.Out + publish.Err);
        Assert.DoesNotContain("warning", publish.Out + publish.Err, StringComparison.OrdinalIgnoreCase);
        string nabla = P("bin/nabla");
        Assert.False(File.Exists(P("bin/nabla.dll")), "a native binary, not a framework-dependent app");

        // train: model, checkpoint, run record, report and plot, then a resume from the checkpoint.
        var train = Run(nabla, _dir, "train", "--dataset", "moons", "--epochs", "20", "--save", P("m.safetensors"),
            "--record", P("run.json"), "--report", P("train.html"), "--plot", P("loss.svg"));
        Assert.True(train.Exit == 0, train.Err);
        Assert.Contains("epoch 20/20", train.Out);
        foreach (var f in new[] { "m.safetensors", "m.safetensors.ckpt", "run.json", "train.html", "loss.svg" }) Assert.True(File.Exists(P(f)), f);
        // The same settings again with --resume: the checkpoint (weights, optimizer state, JSON history) is read back.
        var resume = Run(nabla, _dir, "train", "--dataset", "moons", "--epochs", "20", "--save", P("m.safetensors"), "--resume");
        Assert.True(resume.Exit == 0, resume.Err);

        // predict and export read the model; their output must equal the JIT CLI's on the same file.
        File.WriteAllText(P("points.csv"), "x1,x2\n0,1\n1,-0.5\n0.3,0.2\n");
        var predict = Run(nabla, _dir, "predict", "--model", P("m.safetensors"), "--data", P("points.csv"));
        Assert.True(predict.Exit == 0, predict.Err);
        Assert.Equal(CliRunner.Run("predict", "--model", P("m.safetensors"), "--data", P("points.csv")).Out, predict.Out);
        Assert.Equal(0, Run(nabla, _dir, "export", P("m.safetensors"), "--onnx", P("aot.onnx")).Exit);
        Assert.Equal(0, CliRunner.Run("export", P("m.safetensors"), "--onnx", P("jit.onnx")).Exit);
        Assert.Equal(File.ReadAllBytes(P("jit.onnx")), File.ReadAllBytes(P("aot.onnx")));

        // report reads the run record back.
        var report = Run(nabla, _dir, "report", P("run.json"), "-o", P("report.html"));
        Assert.True(report.Exit == 0, report.Err);
        Assert.Contains("<svg", File.ReadAllText(P("report.html")));

        // The formula commands and a notebook example, as JSON where they have it.
        foreach (string[] args in new[]
        {
            new[] { "grad", "x*y + sin(x)", "--at", "x=1,y=2", "--json" },
            ["graph", "x*y + sin(x)", "--at", "x=1,y=2"],
            ["example", "toy-model", "--json"],
        })
        {
            var aot = Run(nabla, _dir, args);
            Assert.True(aot.Exit == 0, $"{string.Join(' ', args)}: {aot.Err}");
            Assert.Equal(CliRunner.Run(args).Out, aot.Out);
        }

        var explain = Run(nabla, _dir, "explain", "(w*x + b - y)^2", "--at", "w=0.5,x=2,b=0.1,y=1");
        Assert.True(explain.Exit == 0, explain.Err);
        Assert.Contains("gradient check", explain.Out);

        // Bad input still gets one line and exit 2, not a crash of the trimmed binary.
        var bad = Run(nabla, _dir, "grad", "x*", "--at", "x=1");
        Assert.Equal(2, bad.Exit);
        Assert.StartsWith("error", bad.Err);
    }

    private static (int Exit, string Out, string Err) Run(string program, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
