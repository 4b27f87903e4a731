using System.Text;

namespace Nabla.Distributed;

/// <summary>
/// <see cref="ICollectives"/> over Open MPI's <c>MPI_COMM_WORLD</c>, for a process started by <c>mpirun</c>. One per
/// process (MPI is initialised once and finalised once). Errors come back as return codes (MPI_ERRORS_RETURN) and
/// become <see cref="NablaException"/>s naming the call; calls are serialised by a lock, as MPI_THREAD_SERIALIZED requires,
/// so a background thread may run a collective while the main thread waits.
/// </summary>
public sealed unsafe class MpiCollectives : ICollectives
{
    private static int started;
    private readonly MpiLibrary mpi;
    private readonly Lock gate = new();
    private bool disposed;

    private MpiCollectives(MpiLibrary mpi, int rank, int size)
    {
        this.mpi = mpi;
        Rank = rank;
        Size = size;
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>The MPI library file in use (e.g. libmpi.so.40).</summary>
    public string Library => mpi.Name;

    /// <summary>True when this process looks started by Open MPI's mpirun (it sets OMPI_COMM_WORLD_SIZE).</summary>
    public static bool UnderMpirun => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;

    /// <summary>
    /// Loads Open MPI and initialises it (MPI_Init_thread, asking for MPI_THREAD_SERIALIZED). Throws a
    /// <see cref="NablaException"/> when the library is missing or is not Open MPI, or when MPI was started already.
    /// </summary>
    public static MpiCollectives Start()
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
            throw new NablaException("MPI was already started in this process; it can be initialised only once");
        var mpi = MpiLibrary.Load();
        int provided, rank, size;
        Check(mpi, mpi.InitThread(null, 0, MpiLibrary.ThreadSerialized, &provided), "MPI_Init_thread", -1);
        if (provided < MpiLibrary.ThreadSerialized)
        {
            mpi.Finalize();
            throw new NablaException($"{mpi.Name} provides thread level {provided}, but Nabla overlaps communication with backward on a second thread and needs MPI_THREAD_SERIALIZED (2)");
        }
        Check(mpi, mpi.CommSetErrhandler(mpi.CommWorld, mpi.ErrorsReturn), "MPI_Comm_set_errhandler", -1);
        Check(mpi, mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank", -1);
        Check(mpi, mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size", rank);
        return new MpiCollectives(mpi, rank, size);
    }

    /// <inheritdoc/>
    public void AllreduceSum(Span<double> values) => Allreduce(values, mpi.Double);

    /// <inheritdoc/>
    public void AllreduceSum(Span<float> values) => Allreduce(values, mpi.Float);

    private void Allreduce<T>(Span<T> values, nint type) where T : unmanaged
    {
        lock (gate)
        {
            ThrowIfDisposed();
            fixed (T* p = values)
                for (int done = 0; done < values.Length;)
                {
                    int count = Math.Min(values.Length - done, int.MaxValue / sizeof(T));
                    Check(mpi, mpi.Allreduce(MpiLibrary.InPlace, p + done, count, type, mpi.Sum, mpi.CommWorld), "MPI_Allreduce", Rank);
                    done += count;
                }
        }
    }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> bytes, int root)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, Size);
        lock (gate)
        {
            ThrowIfDisposed();
            fixed (byte* p = bytes)
                for (int done = 0; done < bytes.Length;)
                {
                    int count = Math.Min(bytes.Length - done, int.MaxValue);
                    Check(mpi, mpi.Bcast(p + done, count, mpi.Byte, root, mpi.CommWorld), "MPI_Bcast", Rank);
                    done += count;
                }
        }
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        lock (gate)
        {
            ThrowIfDisposed();
            Check(mpi, mpi.Barrier(mpi.CommWorld), "MPI_Barrier", Rank);
        }
    }

    /// <summary>
    /// Ends every rank of the job with exit code <paramref name="code"/> (MPI_Abort): what a rank does when it cannot go
    /// on, so the others do not wait forever in their next collective. Does not return.
    /// </summary>
    public void Abort(int code)
    {
        mpi.Abort(mpi.CommWorld, code);
        Environment.Exit(code);  // Open MPI's MPI_Abort does not return; this only covers a library that does
    }

    /// <summary>Finalises MPI (MPI_Finalize); every rank must call it before exiting normally.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            int finalized;
            if (mpi.Finalized(&finalized) == MpiLibrary.Success && finalized == 0) mpi.Finalize();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    private static void Check(MpiLibrary mpi, int code, string call, int rank)
    {
        if (code == MpiLibrary.Success) return;
        var text = new byte[MpiLibrary.MaxErrorString + 1];
        int length = 0;
        string reason;
        fixed (byte* p = text)
            reason = mpi.ErrorString(code, p, &length) == MpiLibrary.Success && length > 0
                ? Encoding.UTF8.GetString(text, 0, Math.Min(length, MpiLibrary.MaxErrorString)) : $"error code {code}";
        string who = rank >= 0 ? $" on rank {rank}" : "";
        throw new NablaException($"{call} failed{who}: {reason} (another rank may have stopped)");
    }
}
