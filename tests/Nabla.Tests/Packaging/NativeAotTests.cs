using System.Diagnostics;
using Nabla.Tests.Cli;
using Nabla.Tests.Samples;

namespace Nabla.Tests.Packaging;

/// <summary>
/// tools/publish-native.sh once per test class: two Native AOT builds of the CLI (x86-64-v3 with the AVX2/FMA kernels,
/// x86-64-v2 without AVX) and the launcher that picks one, into a temporary folder.
/// </summary>
public sealed class NativeBuild : IDisposable
{
    /// <summary>
    /// The Native AOT tests' own collection. The publish takes minutes, so it runs beside the samples' collection, not
    /// after it: it restores and builds under its own artifacts folder (MSBuild's ArtifactsPath), never in the src/
    /// folders that the samples' dotnet run and the package tests build in, so neither can trip over the other's files.
    /// </summary>
    public const string Collection = "Native AOT builds";

    private readonly Lazy<(int Exit, string Output)> _publish;

    public NativeBuild() => _publish = new(() =>
    {
        var r = NativeAotTests.Run("bash", SampleRunner.RepositoryRoot(), new Dictionary<string, string> { ["ArtifactsPath"] = Path.Combine(Dir, "artifacts") },
            Path.Combine("tools", "publish-native.sh"), Path.Combine(Dir, "native"));
        return (r.Exit, r.Out + r.Err);
    });

    /// <summary>The temporary folder: native/ holds the builds, the tests write their files beside it.</summary>
    public string Dir { get; } = Directory.CreateTempSubdirectory("nabla-aot-").FullName;

    /// <summary>Publishes (the first time) and returns the launcher's path; skips the test off linux-x64.</summary>
    public string Launcher()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Assert.Skip("the Native AOT builds are published for linux-x64 and run, so they need a linux-x64 machine.");
        var (exit, output) = _publish.Value;
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("warning", output, StringComparison.OrdinalIgnoreCase);
        return Path.Combine(Dir, "native", "nabla");
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

/// <summary>
/// The CLI publishes as Native AOT binaries with no trimming or AOT warning, and every command works in them on real
/// input: what the binary prints and writes is what the JIT-compiled CLI prints and writes in-process. The x86-64-v2
/// build has no AVX instruction outside library routines that check the CPU first (so it runs on CPUs without AVX)
/// and gives the same predictions.
/// </summary>
[Collection(NativeBuild.Collection)]
public sealed class NativeAotTests(NativeBuild build) : IClassFixture<NativeBuild>
{
    private readonly string _dir = build.Dir;

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void The_native_binary_publishes_without_warnings_and_runs_every_command()
    {
        string nabla = build.Launcher();
        Assert.False(File.Exists(P("native/x86-64-v3/nabla.dll")), "a native binary, not a framework-dependent app");

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

    [Fact]
    public void The_x86_64_v2_build_needs_no_AVX_and_predicts_what_the_JIT_build_predicts()
    {
        string launcher = build.Launcher();
        // objdump and nm are the independent judges of what the binaries contain. The native runtime's zlib-ng picks
        // its own AVX2/AVX-512/VPCLMULQDQ routines at run time from the CPU's flags (functions named for the
        // extension); every other VEX-encoded instruction in the x86-64-v2 build would need AVX unconditionally. The
        // v3 build must show VEX code in the engine's own methods, or the check would prove nothing.
        if (Run("sh", _dir, "-c", "command -v objdump && command -v nm").Exit != 0)
            Assert.Skip("objdump and nm (binutils) are not installed, so the instructions cannot be listed.");
        Assert.Equal([], VexFunctions(P("native/x86-64-v2/nabla")).Keys.Where(f => !RuntimeDispatched(f)).Take(5));
        Assert.True(VexFunctions(P("native/x86-64-v3/nabla")).Where(f => f.Key.Contains("Nabla_Core_Nabla_Kernels", StringComparison.Ordinal)).Sum(f => f.Value) > 100,
            "the x86-64-v3 build's matrix kernels use AVX (VEX-encoded) instructions");

        // The v2 build trains and predicts; on a model trained by the JIT CLI its probabilities equal the JIT CLI's
        // (its matrix kernels add in another order, so equal to 1e-6, not digit for digit).
        var env = new Dictionary<string, string> { ["NABLA_ISA"] = "x86-64-v2" };
        Assert.Equal(0, CliRunner.Run("train", "--dataset", "moons", "--epochs", "30", "--save", P("jit.safetensors")).Exit);
        var train = Run(launcher, _dir, env, "train", "--dataset", "moons", "--epochs", "30", "--save", P("v2.safetensors"));
        Assert.True(train.Exit == 0, train.Err);
        Assert.Contains("epoch 30/30", train.Out);
        File.WriteAllText(P("rows.csv"), "x1,x2\n0,1\n1,-0.5\n0.3,0.2\n-1.2,0.7\n");
        var v2 = Run(launcher, _dir, env, "predict", "--model", P("jit.safetensors"), "--data", P("rows.csv"));
        Assert.True(v2.Exit == 0, v2.Err);
        var jit = CliRunner.Run("predict", "--model", P("jit.safetensors"), "--data", P("rows.csv"));
        Assert.Equal(0, jit.Exit);
        var (a, b) = (Cells(jit.Out), Cells(v2.Out));
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            if (double.TryParse(a[i], System.Globalization.CultureInfo.InvariantCulture, out double x)
                && double.TryParse(b[i], System.Globalization.CultureInfo.InvariantCulture, out double y))
                Assert.True(Math.Abs(x - y) <= 1e-6, $"cell {i}: JIT {x}, x86-64-v2 {y}");
            else Assert.Equal(a[i], b[i]);
        }
    }

    /// <summary>How many VEX-encoded (AVX) instructions each function of <paramref name="binary"/> holds, named from its .dbg symbols.</summary>
    private static Dictionary<string, int> VexFunctions(string binary)
    {
        var nm = Run("nm", "/", "-n", binary + ".dbg");
        Assert.True(nm.Exit == 0, nm.Err);
        var symbols = new List<(ulong Address, string Name)>();
        foreach (var line in nm.Out.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 3 && f[1] is "t" or "T") symbols.Add((Convert.ToUInt64(f[0], 16), f[2]));
        }
        var addresses = symbols.Select(s => s.Address).ToArray();
        var dump = Run("objdump", "/", "-d", "--no-show-raw-insn", binary);
        Assert.Equal(0, dump.Exit);
        var counts = new Dictionary<string, int>();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(dump.Out, @"^\s+([0-9a-f]+):\s+v[a-z0-9]+\s", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            int i = Array.BinarySearch(addresses, Convert.ToUInt64(m.Groups[1].Value, 16));
            if (i < 0) i = ~i - 1;
            string name = i >= 0 ? symbols[i].Name : "?";
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
        return counts;
    }

    /// <summary>A native routine that exists only as an extension's variant, chosen by its library after checking the CPU.</summary>
    private static bool RuntimeDispatched(string function) =>
        System.Text.RegularExpressions.Regex.IsMatch(function, "_(avx2|avx512|avx512_vnni|vpclmulqdq)(_|$)");

    private static string[] Cells(string output) => output.Split([',', '\n', ' '], StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void The_launcher_runs_the_AVX2_build_exactly_when_the_CPU_has_AVX2_and_FMA()
    {
        string launcher = build.Launcher();
        string flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "";
        var set = flags.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        string expected = set.Contains("avx2") && set.Contains("fma") ? "x86-64-v3" : "x86-64-v2";
        // sh -x traces the exec line, which names the build the launcher chose.
        var traced = Run("sh", _dir, "-x", launcher, "grad", "x*y", "--at", "x=1,y=2");
        Assert.Equal(0, traced.Exit);
        Assert.Contains($"/{expected}/nabla grad", traced.Err);
        Assert.Contains("∂f/∂x", traced.Out);

        var bad = Run(launcher, _dir, new Dictionary<string, string> { ["NABLA_ISA"] = "x86-64-v4" }, "grad", "x", "--at", "x=1");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("NABLA_ISA must be x86-64-v3 or x86-64-v2", bad.Err);
    }

    internal static (int Exit, string Out, string Err) Run(string program, string workingDirectory, params string[] args) =>
        Run(program, workingDirectory, [], args);

    internal static (int Exit, string Out, string Err) Run(string program, string workingDirectory, Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env) start.Environment[k] = v;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
