using System.Globalization;

namespace Nabla.Cli;

/// <summary>
/// What the launcher's environment says about this process: mpirun (Open MPI, or a PMI launcher such as MPICH's or
/// Slurm's) starts every rank with its size and rank in variables, before any MPI call.
/// </summary>
public static class MpiLaunch
{
    /// <summary>The (size, rank) the launcher's variables give, or null when none of them is set (not started by mpirun).</summary>
    public static (int Size, int Rank)? FromEnvironment(Func<string, string?> variable)
    {
        foreach (var (size, rank) in new[] { ("OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK"), ("PMI_SIZE", "PMI_RANK"), ("PMIX_SIZE", "PMIX_RANK") })
            if (Whole(variable(size)) is { } n)
                return (n, Whole(variable(rank)) ?? 0);
        return null;
    }

    /// <summary>This process's (size, rank) from its environment, or null when mpirun did not start it.</summary>
    public static (int Size, int Rank)? Current => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>True when mpirun started this process.</summary>
    public static bool IsRank => Current is not null;

    /// <summary>
    /// True when this process is a rank other than 0 of a job of several: the ranks run the same command line, so
    /// an error about it is the same on every rank, and rank 0 alone says it.
    /// </summary>
    public static bool IsQuietRank => Current is { Size: > 1, Rank: > 0 };

    /// <summary>
    /// For <c>train</c> without --distributed: null when this process is alone; otherwise the one-line error saying
    /// it is one of several ranks, each of which would train on its own and fight over the same output files.
    /// </summary>
    public static string? UndistributedTrain((int Size, int Rank)? launch) =>
        launch is { Size: > 1 } job
            ? $"this process is one of {Plural.Of(job.Size, "MPI rank")} (mpirun started it), but without --distributed each rank " +
              "would train on its own and write the same files; add --distributed to train one model data-parallel, or run nabla train without mpirun"
            : null;

    /// <summary>
    /// Before a <c>train</c> without --distributed: null when this process is not one of several ranks; otherwise
    /// rank 0 prints <see cref="UndistributedTrain"/> and every rank gets exit code 2.
    /// </summary>
    public static int? RefuseUndistributed(TextWriter stderr)
    {
        var launch = Current;
        if (UndistributedTrain(launch) is not { } message) return null;
        if (launch!.Value.Rank == 0) stderr.WriteLine($"error: {message}");
        return NablaCli.BadInput;
    }

    private static int? Whole(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 0 ? n : null;
}
