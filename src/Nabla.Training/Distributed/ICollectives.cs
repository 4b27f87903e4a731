using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Distributed;

/// <summary>
/// The collective calls data-parallel training needs, over <see cref="Size"/> ranks that each hold one instance.
/// Every rank makes the same calls in the same order with spans of the same length (MPI's rule); a call returns on a
/// rank once its part is done. Implementations: <see cref="MpiCollectives"/> over Open MPI, and
/// <see cref="ThreadCollectives"/>, ranks as threads of one process, for tests.
/// </summary>
public interface ICollectives : IDisposable
{
    /// <summary>This rank's number, 0 ≤ Rank &lt; Size.</summary>
    int Rank { get; }

    /// <summary>How many ranks take part.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over all ranks.</summary>
    void AllreduceSum(Span<double> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over all ranks.</summary>
    void AllreduceSum(Span<float> values);

    /// <summary>Copies <paramref name="bytes"/> from rank <paramref name="root"/> into the same-length span on every other rank.</summary>
    void Broadcast(Span<byte> bytes, int root);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();
}

/// <summary>Typed helpers over <see cref="ICollectives"/>.</summary>
public static class Collectives
{
    /// <summary>Sums <paramref name="values"/> over all ranks in place, for float or double.</summary>
    public static void AllreduceSum<T>(this ICollectives comm, Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) comm.AllreduceSum(MemoryMarshal.Cast<T, double>(values));
        else if (typeof(T) == typeof(float)) comm.AllreduceSum(MemoryMarshal.Cast<T, float>(values));
        else throw new NablaException($"collectives sum float32 or float64 values, not {typeof(T).Name}");
    }

    /// <summary>Copies <paramref name="values"/> from rank <paramref name="root"/> to every rank.</summary>
    public static void Broadcast<T>(this ICollectives comm, Span<T> values, int root) where T : unmanaged =>
        comm.Broadcast(MemoryMarshal.AsBytes(values), root);

    /// <summary>Rank <paramref name="root"/>'s <paramref name="bytes"/> on every rank (others pass anything, e.g. null).</summary>
    public static byte[] BroadcastArray(this ICollectives comm, byte[]? bytes, int root)
    {
        long length = comm.Rank == root ? bytes!.LongLength : 0;
        comm.Broadcast(new Span<long>(ref length), root);
        if (length < 0 || length > Array.MaxLength) throw new NablaException($"rank {root} broadcast a length of {length} bytes");
        var buffer = comm.Rank == root ? bytes! : new byte[length];
        comm.Broadcast(buffer.AsSpan(), root);
        return buffer;
    }

    /// <summary>
    /// The ranks (ascending) where <paramref name="flag"/> was true, known to every rank: one allreduce of a vector
    /// with a 1 in each flagging rank's slot.
    /// </summary>
    public static int[] RanksWhere(this ICollectives comm, bool flag)
    {
        var slots = new double[comm.Size];
        if (flag) slots[comm.Rank] = 1;
        comm.AllreduceSum(slots.AsSpan());
        return [.. Enumerable.Range(0, comm.Size).Where(r => slots[r] != 0)];
    }
}
