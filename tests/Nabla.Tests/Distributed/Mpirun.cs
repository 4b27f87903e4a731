using System.Diagnostics;
using System.Text;

namespace Nabla.Tests.Distributed;

/// <summary>Starts <c>nabla</c> under Open MPI's mpirun on this machine, as a user would.</summary>
internal static class Mpirun
{
    /// <summary>Why the MPI tests cannot run here, or null when mpirun is on the PATH.</summary>
    public static string? MissingReason =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "mpirun")))
            ? null : "mpirun is not installed (apt-get install openmpi-bin), so the multi-process runs did not happen.";

    /// <summary>Reports the calling test as skipped (never passed), with the reason, when mpirun is absent.</summary>
    public static void Require()
    {
        if (MissingReason is { } reason) Assert.Skip(reason);
    }

    public static string Nabla => Path.Combine(AppContext.BaseDirectory, "nabla.dll");

    /// <summary>mpirun's own options: several ranks on 2 cores, and root in CI containers.</summary>
    private static IEnumerable<string> Options()
    {
        yield return "--oversubscribe";
        if (Environment.UserName == "root") yield return "--allow-run-as-root";
    }

    /// <summary><c>mpirun -np N dotnet nabla.dll train … --distributed</c>.</summary>
    public static MpiJob Start(int ranks, IEnumerable<string> args) => StartApps([(ranks, args)]);

    /// <summary>Several programs in one job (mpirun's <c>-np 1 a : -np 1 b</c>), ranks numbered in order.</summary>
    public static MpiJob StartApps(IReadOnlyList<(int Ranks, IEnumerable<string> Args)> apps)
    {
        var start = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var o in Options()) start.ArgumentList.Add(o);
        for (int i = 0; i < apps.Count; i++)
        {
            if (i > 0) start.ArgumentList.Add(":");
            start.ArgumentList.Add("-np");
            start.ArgumentList.Add(apps[i].Ranks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.ArgumentList.Add("dotnet");
            start.ArgumentList.Add(Nabla);
            foreach (var a in apps[i].Args) start.ArgumentList.Add(a);
            start.ArgumentList.Add("--distributed");
        }
        var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new MpiJob(process, output, errors);
    }

    /// <summary>
    /// Waits for the job and returns its exit code and output. A job still running after ten minutes is killed and
    /// reported: that is a hang (the runs here take seconds even on a loaded machine), never a speed check.
    /// </summary>
    public static (int Exit, string Out, string Err) Finish(MpiJob job)
    {
        var process = job.Process;
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail("the mpirun job hung for ten minutes and was killed");
        }
        process.WaitForExit();  // flushes the asynchronous readers
        var (output, errors) = (job.Out, job.Err);
        lock (output) lock (errors) return (process.ExitCode, output.ToString(), errors.ToString());
    }

    public static (int Exit, string Out, string Err) Run(int ranks, params string[] args)
    {
        using var job = Start(ranks, args);
        return Finish(job);
    }

    /// <summary>The process ids of a job's ranks, by rank (mpirun on one machine starts them as its children).</summary>
    public static Dictionary<int, int> Ranks(MpiJob job)
    {
        var mpirun = job.Process;
        var ranks = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                if (parent != mpirun.Id) continue;
                var rank = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').FirstOrDefault(v => v.StartsWith("OMPI_COMM_WORLD_RANK=", StringComparison.Ordinal));
                if (rank is not null) ranks[int.Parse(rank["OMPI_COMM_WORLD_RANK=".Length..], System.Globalization.CultureInfo.InvariantCulture)] = pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return ranks;
    }
}

/// <summary>A running mpirun with the output it printed so far.</summary>
internal sealed class MpiJob(Process process, StringBuilder output, StringBuilder errors) : IDisposable
{
    public Process Process { get; } = process;
    public StringBuilder Out { get; } = output;
    public StringBuilder Err { get; } = errors;
    public bool HasExited => Process.HasExited;
    public void Dispose() => Process.Dispose();
}
