using System.Runtime.ExceptionServices;

namespace Nabla.Distributed;

/// <summary>
/// <see cref="ICollectives"/> for ranks that are threads of one process, sharing a barrier: what unit tests run
/// data-parallel training on without MPI. A sum adds the ranks' values in rank order, the same on every rank.
/// When one rank fails, the others' pending and later calls throw instead of waiting for it.
/// </summary>
public sealed class ThreadCollectives : ICollectives
{
    private readonly World world;

    private ThreadCollectives(World world, int rank)
    {
        this.world = world;
        Rank = rank;
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size => world.Size;

    /// <summary>
    /// Runs <paramref name="body"/> on <paramref name="ranks"/> threads, each with its own rank's collectives, and
    /// returns each rank's result. If a rank throws, the others are released and the first failure is rethrown.
    /// </summary>
    public static TResult[] Run<TResult>(int ranks, Func<ICollectives, TResult> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ranks);
        var world = new World(ranks);
        var results = new TResult[ranks];
        var failures = new Exception?[ranks];
        var threads = Enumerable.Range(0, ranks).Select(rank => new Thread(() =>
        {
            try { results[rank] = body(new ThreadCollectives(world, rank)); }
            catch (Exception e)
            {
                failures[rank] = e;
                world.Fail();
            }
        }, maxStackSize: 16 << 20) { Name = $"rank {rank}" }).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        // The first real failure, not the cancellations it caused on the other ranks.
        var first = failures.FirstOrDefault(e => e is not null and not OperationCanceledException) ?? failures.FirstOrDefault(e => e is not null);
        if (first is not null) ExceptionDispatchInfo.Capture(first).Throw();
        return results;
    }

    /// <inheritdoc/>
    public void AllreduceSum(Span<double> values) => Sum(values);

    /// <inheritdoc/>
    public void AllreduceSum(Span<float> values) => Sum(values);

    private void Sum<T>(Span<T> values) where T : struct, System.Numerics.IAdditionOperators<T, T, T>
    {
        world.Slots[Rank] = values.ToArray();
        world.Wait();
        var slots = world.Slots;
        for (int r = 0; r < Size; r++)
            if (((T[])slots[r]!).Length != values.Length)
                throw new NablaException($"allreduce: rank {Rank} sums {values.Length} values but rank {r} sums {((T[])slots[r]!).Length}");
        for (int i = 0; i < values.Length; i++)
        {
            T sum = ((T[])slots[0]!)[i];
            for (int r = 1; r < Size; r++) sum += ((T[])slots[r]!)[i];
            values[i] = sum;
        }
        world.Wait();  // nobody overwrites a slot before every rank has read them all
    }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> bytes, int root)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, Size);
        if (Rank == root) world.Slots[root] = bytes.ToArray();
        world.Wait();
        var sent = (byte[])world.Slots[root]!;
        if (sent.Length != bytes.Length)
            throw new NablaException($"broadcast: rank {Rank} expects {bytes.Length} bytes but rank {root} sent {sent.Length}");
        sent.CopyTo(bytes);
        world.Wait();
    }

    /// <inheritdoc/>
    public void Barrier() => world.Wait();

    /// <summary>Nothing to release: the world ends with its threads.</summary>
    public void Dispose() { }

    private sealed class World(int size)
    {
        private readonly Barrier barrier = new(size);
        private readonly CancellationTokenSource failed = new();

        public int Size { get; } = size;
        public object?[] Slots { get; } = new object?[size];

        public void Wait() => barrier.SignalAndWait(failed.Token);

        public void Fail() => failed.Cancel();
    }
}
