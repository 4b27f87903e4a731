using System.Numerics;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Distributed;

/// <summary>
/// Data-parallel training over <see cref="ICollectives"/>: each rank takes a contiguous share of every global batch
/// (<see cref="Share"/>), runs forward and backward on it with its loss weighted by share ÷ batch, and the gradients
/// are summed over the ranks before the optimizer step. The sum of (nᵣ/B)·(mean gradient over rank r's nᵣ rows) is the
/// mean gradient over the whole batch of B rows, so every rank takes the step one process would take on the whole
/// batch, up to the order of the floating-point additions.
/// </summary>
public sealed class DataParallel<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The default bucket size: 1 MiB of gradients per allreduce.</summary>
    public const int DefaultBucketBytes = 1 << 20;

    private readonly GradientBuckets<T> buckets;

    /// <summary>Synchronises the gradients of <paramref name="parameters"/> (in the same order on every rank).</summary>
    public DataParallel(ICollectives comm, IReadOnlyList<Tensor<T>> parameters, int bucketBytes = DefaultBucketBytes)
    {
        ArgumentNullException.ThrowIfNull(comm);
        Comm = comm;
        buckets = new GradientBuckets<T>(parameters, comm, bucketBytes);
    }

    /// <summary>The collectives the ranks talk over.</summary>
    public ICollectives Comm { get; }

    /// <summary>How many gradient elements each bucket holds, in the order the buckets are summed (output layer first).</summary>
    public IReadOnlyList<int> BucketLengths => buckets.BucketLengths;

    /// <summary>Time spent waiting for gradient sums after backward had finished (communication not hidden by backward).</summary>
    public TimeSpan ExposedCommunication => buckets.ExposedCommunication;

    /// <summary>Time the background thread spent in allreduce calls (hidden or not).</summary>
    public TimeSpan CommunicationBusy => buckets.CommunicationBusy;

    /// <summary>How many optimizer steps this rank took data-parallel.</summary>
    public long Steps { get; private set; }

    /// <summary>Time in those steps, from gathering the share to the end of the optimizer step.</summary>
    public TimeSpan StepTime { get; private set; }

    /// <summary>The gradient bytes each rank contributes to the allreduces of one step (every parameter once).</summary>
    public long GradientBytes => BucketLengths.Sum(n => (long)n) * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <summary>Counts one step that took <paramref name="elapsed"/> (the trainer reports each of its steps).</summary>
    public void CountStep(TimeSpan elapsed)
    {
        Steps++;
        StepTime += elapsed;
    }

    /// <summary>
    /// Where this rank's time went, one short line each: mean step time, the part spent waiting for gradient sums after
    /// backward (communication not hidden), the time inside allreduce on the background thread, and the bytes each step moves.
    /// </summary>
    public string Timing()
    {
        string Ms(TimeSpan t) => (t.TotalMilliseconds / Math.Max(1, Steps)).ToString("F3", System.Globalization.CultureInfo.InvariantCulture) + " ms";
        return $"step time      {Ms(StepTime)} (mean of {Steps} steps on {Comm.Size} ranks)\n" +
               $"  exposed comm {Ms(ExposedCommunication)} (waiting for gradient sums after backward)\n" +
               $"  in allreduce {Ms(CommunicationBusy)} (on the background thread, overlapping backward)\n" +
               $"  gradients    {GradientBytes} bytes per rank per step, {BucketLengths.Count} buckets";
    }

    /// <summary>
    /// Rank <paramref name="rank"/>'s rows of a batch of <paramref name="batch"/> rows over <paramref name="size"/> ranks:
    /// [⌊batch·rank/size⌋, ⌊batch·(rank+1)/size⌋), so shares differ by at most one row and cover the batch exactly.
    /// </summary>
    public static (int Start, int Count) Share(int batch, int rank, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, size);
        int start = (int)((long)batch * rank / size), end = (int)((long)batch * (rank + 1) / size);
        return (start, end - start);
    }

    /// <summary>This rank's slice of <paramref name="batch"/> (see <see cref="Share"/>).</summary>
    internal ArraySegment<int> ShareOf(ArraySegment<int> batch)
    {
        var (start, count) = Share(batch.Count, Comm.Rank, Comm.Size);
        return batch.Slice(start, count);
    }

    /// <summary>
    /// Backward from this rank's mean <paramref name="loss"/> over <paramref name="shareRows"/> of the batch's
    /// <paramref name="batchRows"/> rows (null when the share is empty), then sums the gradients over all ranks: every
    /// parameter's gradient becomes the whole batch's mean gradient. Every rank calls this once per batch.
    /// </summary>
    public void Backward(Tensor<T>? loss, int shareRows, int batchRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchRows);
        if (loss is not null && loss.ElementCount != 1)
            throw new NablaException($"data-parallel backward needs a one-element loss, got shape {Shapes.Format(loss.ShapeArray)}");
        buckets.Synchronize(shareRows == 0 ? null : loss, T.CreateChecked(shareRows) / T.CreateChecked(batchRows));
    }

    /// <summary>Sums <paramref name="values"/> (e.g. loss sums and counts of correct answers) over all ranks.</summary>
    public void Sum(Span<double> values) => Comm.AllreduceSum(values);

    /// <summary>
    /// Refuses to go on unless every rank passes the same <paramref name="fingerprint"/> (settings, data contents,
    /// epoch and generator state): rank 0's text is broadcast and compared, and every rank throws the same
    /// <see cref="NablaException"/> naming the ranks that differ.
    /// </summary>
    public void CheckSame(string fingerprint)
    {
        var mine = System.Text.Encoding.UTF8.GetBytes(fingerprint);
        var first = System.Text.Encoding.UTF8.GetString(Comm.BroadcastArray(Comm.Rank == 0 ? mine : null, 0));
        var differ = Comm.RanksWhere(first != fingerprint);
        if (differ.Length > 0)
            throw new NablaException($"rank{(differ.Length > 1 ? "s" : "")} {string.Join(", ", differ)} of {Comm.Size} started with other settings or data than rank 0, " +
                $"so their gradients would not add up to one run's; start every rank with the same command and the same files\n  rank 0: {first}");
    }

    /// <summary>
    /// Makes every rank's <paramref name="model"/> parameters and <paramref name="optimizer"/> state (step and buffers)
    /// equal to rank 0's: rank 0 serialises them as safetensors, broadcasts the bytes, and the other ranks load them.
    /// </summary>
    public void BroadcastState(Module<T> model, Optimizer<T> optimizer)
    {
        byte[]? bytes = null;
        if (Comm.Rank == 0)
        {
            var state = optimizer.State();
            var tensors = StateDicts.ToSafeTensors(model.StateDict().Select(kv => KeyValuePair.Create("model." + kv.Key, kv.Value)))
                .Concat(StateDicts.ToSafeTensors(state.Buffers.Select(kv => KeyValuePair.Create("optim." + kv.Key, kv.Value))));
            bytes = SafetensorsFile.Serialize(tensors, new Dictionary<string, string> { ["step"] = state.Step.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        bytes = Comm.BroadcastArray(bytes, 0);
        if (Comm.Rank == 0) return;
        var file = SafetensorsFile.Parse(bytes, "the state broadcast by rank 0");
        var all = StateDicts.FromSafeTensors<T>(file.Names.Select(n => file.Tensors[n])).ToList();
        Dictionary<string, Tensor<T>> Section(string prefix) =>
            all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        model.LoadStateDict(Section("model."));
        optimizer.LoadState(new OptimizerState<T>(long.Parse(file.Metadata["step"], System.Globalization.CultureInfo.InvariantCulture), Section("optim.")));
    }

    /// <summary>Stops the background communication thread.</summary>
    public void Dispose() => buckets.Dispose();
}
