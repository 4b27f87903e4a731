using System.Runtime.InteropServices;
using Nabla.Distributed;

namespace Nabla.Cli.Commands;

/// <summary>
/// One rank of <c>mpirun -np N nabla train … --distributed</c>: starts MPI, gives rank 0 the real output (the others
/// print and write nothing), and turns failures into one message and a non-zero exit on every rank, never a hang.
/// Start-up failures (a bad option, an unreadable file) are agreed on with one allreduce, and the lowest failing rank
/// prints its error; failures every rank meets together (a checkpoint of other settings, a diverging loss) are printed
/// by rank 0; any other failure during training (a disk full on rank 0, a lost peer) is printed by its rank, which then
/// ends the whole job with MPI_Abort. A rank killed from outside makes mpirun end the others, which say so.
/// </summary>
internal sealed class DistributedTrain
{
    private readonly MpiCollectives comm;
    private bool agreed;

    // Set once this rank knows why the job stops and has said so (or left it to the rank that failed): mpirun may then
    // end it with SIGTERM while it finalises, because another rank already exited non-zero, and that is no news.
    private volatile bool stopping;

    private DistributedTrain(MpiCollectives comm) => this.comm = comm;

    /// <summary>This job's collectives.</summary>
    public ICollectives Comm => comm;

    /// <summary>The checkpoint a stopped run leaves behind, named in the message of a rank that is ended from outside.</summary>
    public string? Checkpoint { get; set; }

    /// <summary>Runs <paramref name="body"/> as one rank, with stdout for rank 0 and a null writer for the others.</summary>
    public static int Run(TextWriter stdout, TextWriter stderr, Func<DistributedTrain, TextWriter, int> body)
    {
        MpiCollectives comm;
        try { comm = MpiCollectives.Start(); }
        catch (NablaException e)
        {
            // The library says to start the ranks with mpirun; the command to start is this one.
            stderr.WriteLine($"error: {SettingFlags.Message(e)}{(e.Setting == "distributed" ? " nabla train … --distributed" : "")}");
            return NablaCli.BadInput;
        }
        var run = new DistributedTrain(comm);
        using var terminated = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ =>
        {
            if (run.stopping) return;
            stderr.WriteLine($"error (rank {comm.Rank} of {comm.Size}): stopped because another rank ended or the job was cancelled" +
                (run.Checkpoint is null ? "" : $"; the last checkpoint, {run.Checkpoint}, is intact and --resume continues from it"));
            stderr.Flush();
        });
        try
        {
            int code = body(run, comm.Rank == 0 ? stdout : TextWriter.Null);
            comm.Dispose();
            return code;
        }
        catch (Exception e) when (e is TogetherException or CliException or NablaException or IOException or UnauthorizedAccessException)
        {
            return run.Fail(e is TogetherException t ? t.InnerException! : e, together: e is TogetherException or CliException { ExitCode: 3 }, stderr);
        }
    }

    /// <summary>
    /// The end of start-up: every rank reports whether it got here (one allreduce); if another rank failed, this one
    /// stops quietly (the failing rank prints why).
    /// </summary>
    public void Agree()
    {
        var failed = comm.RanksWhere(false);
        agreed = true;
        if (failed.Length > 0) throw new TogetherException(new StoppedElsewhere(failed[0]));
    }

    /// <summary>Runs collective start-up steps whose failures every rank meets at the same point with the same message.</summary>
    public static void Together(Action step)
    {
        try { step(); }
        catch (Exception e) when (e is CliException or NablaException or IOException) { throw new TogetherException(e); }
    }

    private int Fail(Exception e, bool together, TextWriter stderr)
    {
        int code = e is CliException c ? c.ExitCode : NablaCli.BadInput;
        string message = e is NablaException n ? SettingFlags.Message(n) : e.Message;
        stopping = true;
        if (!agreed)
        {
            // This rank failed before the start-up agreement: take part in it, so the others learn of the failure.
            var failed = comm.RanksWhere(true);
            if (failed[0] == comm.Rank) stderr.WriteLine($"error{Where()}: {message}");
            comm.Dispose();
            return code;
        }
        if (together)
        {
            if (comm.Rank == 0 && e is not StoppedElsewhere) stderr.WriteLine($"error: {message}");
            comm.Dispose();
            return code;
        }
        stderr.WriteLine($"error (rank {comm.Rank} of {comm.Size}, stopping every rank): {message}");
        stderr.Flush();
        comm.Abort(code);
        return code;
    }

    private string Where() => comm.Rank == 0 ? "" : $" (rank {comm.Rank} of {comm.Size})";

    private sealed class TogetherException(Exception inner) : Exception(inner.Message, inner);

    private sealed class StoppedElsewhere(int rank) : Exception($"rank {rank} could not start");
}
