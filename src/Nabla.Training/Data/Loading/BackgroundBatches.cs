using System.Collections;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.ExceptionServices;

namespace Nabla.Data;

/// <summary>
/// Runs a batch sequence on its own thread, at most <c>capacity</c> batches ahead of the consumer. The worker's
/// exception is rethrown (same object, same message) by <see cref="MoveNext"/> once the batches before it are taken;
/// <see cref="Dispose"/> cancels the worker, which then disposes the sequence (closing any file) and ends.
/// </summary>
internal sealed class BackgroundBatches<T> : IEnumerator<Batch<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BlockingCollection<Batch<T>> queue;
    private readonly CancellationTokenSource stop = new();
    private readonly Thread worker;
    private ExceptionDispatchInfo? failure;
    private Batch<T>? current;
    private bool disposed;

    public BackgroundBatches(IEnumerable<Batch<T>> batches, int capacity)
    {
        queue = new BlockingCollection<Batch<T>>(capacity);
        worker = new Thread(() => Produce(batches)) { IsBackground = true, Name = "Nabla DataLoader worker" };
        worker.Start();
    }

    private void Produce(IEnumerable<Batch<T>> batches)
    {
        try
        {
            foreach (var batch in batches)
                queue.Add(batch, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The consumer left: nothing to report.
        }
        catch (Exception e)
        {
            failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            queue.CompleteAdding();
        }
    }

    public Batch<T> Current => current ?? throw new InvalidOperationException("MoveNext has not returned true");

    object IEnumerator.Current => Current;

    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (queue.TryTake(out current, Timeout.Infinite)) return true;
        failure?.Throw();
        return false;
    }

    public void Reset() => throw new NotSupportedException("a DataLoader epoch cannot be rewound; enumerate the loader again for a new epoch");

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stop.Cancel();
        worker.Join();
        queue.Dispose();
        stop.Dispose();
    }
}
