using System.Globalization;
using Nabla.Distributed;
using Nabla.Serialization;
using Nabla.Training.Callbacks;

namespace Nabla.Training;

// The trainer's data-parallel mode (it lives beside the other distributed code): rank 0 reads the checkpoint and
// broadcasts it, the ranks check they agree, each then trains on its share of every batch.
public sealed partial class Trainer<T>
{
    private DataParallel<T>? _parallel;

    /// <summary>The data-parallel synchroniser after <see cref="StartDataParallel"/>, else null.</summary>
    public DataParallel<T>? Parallel => _parallel;

    /// <summary>
    /// Continues from a checkpoint that only rank 0 needs to be able to read: rank 0 reads the file and broadcasts its
    /// bytes, and every rank loads them, so all restore the same global state. A rank-0 read error stops every rank
    /// with the same message.
    /// </summary>
    public void LoadCheckpoint(ICollectives comm, string path)
    {
        ArgumentNullException.ThrowIfNull(comm);
        byte[]? bytes = null;
        string? error = null;
        if (comm.Rank == 0)
        {
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { error = $"cannot read the checkpoint {path} to resume from: {e.Message}"; }
        }
        error = System.Text.Encoding.UTF8.GetString(comm.BroadcastArray(comm.Rank == 0 ? System.Text.Encoding.UTF8.GetBytes(error ?? "") : null, 0));
        if (error.Length > 0) throw new NablaException(error) { Setting = "resume" };
        bytes = comm.BroadcastArray(bytes, 0);
        LoadCheckpoint(SafetensorsFile.Parse(bytes, path), path);
    }

    /// <summary>
    /// Makes this trainer one rank of a data-parallel run over <paramref name="comm"/>: checks that every rank has the
    /// same settings, data, epoch and generator state, copies rank 0's weights and optimizer state to every rank, and
    /// from then on <see cref="RunEpoch"/> trains on this rank's share of every global batch of
    /// <see cref="TrainerOptions.BatchSize"/> rows.
    /// </summary>
    public void StartDataParallel(ICollectives comm, int bucketBytes = DataParallel<T>.DefaultBucketBytes)
    {
        ArgumentNullException.ThrowIfNull(comm);
        if (_parallel is not null) throw new NablaException("this trainer already runs data-parallel");
        var parallel = new DataParallel<T>(comm, Model.Parameters(), bucketBytes);
        try
        {
            // The generator's state is a few kilobytes of text; its hash tells as much and keeps the message readable.
            string generator = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(_rng.GetState().ToString())))[..16];
            parallel.CheckSame($"{Fingerprint()}, epoch {CompletedEpochs.ToString(CultureInfo.InvariantCulture)}, batch {_batchesDone.ToString(CultureInfo.InvariantCulture)}, generator {generator}");
            parallel.BroadcastState(Model, Optimizer);
        }
        catch
        {
            parallel.Dispose();
            throw;
        }
        _parallel = parallel;
    }

    /// <summary>
    /// Ends the data-parallel mode (stops its communication thread); the trainer goes on as one process. Returns
    /// <see cref="DataParallel{T}.Timing"/> of the run, or null when it was not data-parallel.
    /// </summary>
    public string? StopDataParallel()
    {
        string? timing = _parallel?.Timing();
        _parallel?.Dispose();
        _parallel = null;
        return timing;
    }

    /// <summary>
    /// One optimizer step on this rank's share of the global batch <paramref name="batch"/>. The batch's loss sum and
    /// correct count are summed over the ranks (one small allreduce), so every rank judges divergence on the same
    /// global loss and keeps the same epoch totals.
    /// </summary>
    private void TrainShare(ReadOnlySpan<int> batch, DataParallel<T> parallel)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (first, count) = DataParallel<T>.Share(batch.Length, parallel.Comm.Rank, parallel.Comm.Size);
        Optimizer.ZeroGrad();
        Span<double> sums = [0, 0];
        if (count == 0) parallel.Backward(null, 0, batch.Length);
        else
        {
            var share = Data.TrainingBatch(batch.Slice(first, count));
            var output = Model.Forward(share.Inputs);
            var loss = Loss.Compute(output, share);
            sums[0] = double.CreateChecked(loss.ToScalar()) * count;
            parallel.Backward(loss, count, batch.Length);
            if (Loss.IsClassifier) sums[1] = CountCorrect(output, share);
        }
        parallel.Sum(sums);
        double value = sums[0] / batch.Length;
        if (!double.IsFinite(value)) throw new TrainingDivergedException(CompletedEpochs + 1, value, Optimizer.LearningRate);
        if (double.IsNaN(InitialLoss)) InitialLoss = value;
        StepOptimizer();
        _lossSum += sums[0];
        _correct += (int)sums[1];
        parallel.CountStep(System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }
}
