using System.Numerics;
using Nabla.Data;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Training.Callbacks;
using Nabla.Training.Metrics;

namespace Nabla.Training;

/// <summary>Which samples of an <see cref="ITrainingSource{T}"/> to evaluate.</summary>
public enum DataPart
{
    /// <summary>The samples the trainer learns from.</summary>
    Training,

    /// <summary>The held-out samples.</summary>
    Validation,
}

/// <summary>
/// Trains any <see cref="Module{T}"/> with mini-batches: each epoch sets the optimizer's learning rate from the
/// schedule (if given), shuffles the training samples with the trainer's generator, and takes one optimizer step per
/// batch of the loss (clipping the gradients first when <see cref="TrainerOptions.ClipGradNorm"/> is set, and stepping
/// a per-batch <see cref="TrainerOptions.Scheduler"/> after); then it measures the validation samples, steps a
/// per-epoch scheduler and runs the callbacks. Everything is an object the caller
/// builds (model, optimizer, loss, data, schedule, generator), so the same loop, checkpoints and history serve any
/// network. Given the same objects in the same state, a run is bit-identical, and a checkpoint (even one written in
/// the middle of an epoch) resumes it bit-exactly.
/// </summary>
public sealed partial class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RandomState _rng;
    private readonly List<EpochMetrics> _history = [];
    private readonly List<ITrainingCallback<T>> _callbacks = [];

    // The epoch in progress: the generator's state before its shuffle, the order, and the sums so far.
    private RandomStateSnapshot? _epochStart;
    private int[]? _order;
    private int _batchesDone, _correct;
    private double _lossSum;

    /// <summary>
    /// A trainer for <paramref name="model"/>, whose parameters <paramref name="optimizer"/> updates.
    /// <paramref name="schedule"/> sets the learning rate of every group at the start of each epoch; null leaves the
    /// rates to <see cref="TrainerOptions.Scheduler"/>, or alone. <paramref name="shuffle"/> null shuffles with
    /// <c>new RandomState(0)</c>.
    /// </summary>
    public Trainer(Module<T> model, Optimizer<T> optimizer, TrainingLoss<T> loss, ITrainingSource<T> data, TrainerOptions? options = null,
        ILearningRateSchedule? schedule = null, RandomState? shuffle = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
        Data = data ?? throw new ArgumentNullException(nameof(data));
        Options = options ?? new TrainerOptions();
        Schedule = schedule;
        _rng = shuffle ?? new RandomState(0);
        if (data.TrainingRows <= 0) throw new NablaException("nothing to train on: the data source has no training samples");
        var owned = model.Parameters().ToHashSet(ReferenceEqualityComparer.Instance);
        if (optimizer.Parameters.Any(p => !owned.Contains(p)))
            throw new NablaException("the optimizer updates tensors that are not parameters of the model; build it from model.Parameters()");
        Scheduler = BuildScheduler();
    }

    /// <summary>The network being trained.</summary>
    public Module<T> Model { get; }

    /// <summary>Updates the model's parameters.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>What is minimised.</summary>
    public TrainingLoss<T> Loss { get; }

    /// <summary>The samples.</summary>
    public ITrainingSource<T> Data { get; }

    /// <summary>Epochs and batch sizes.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The learning rate of each epoch (epoch 0 is the first), set on every group; null when not given.</summary>
    public ILearningRateSchedule? Schedule { get; }

    /// <summary>The callbacks run after every epoch, in order; add to it before training.</summary>
    public IList<ITrainingCallback<T>> Callbacks => _callbacks;

    /// <summary>Epochs finished so far (including those a resumed checkpoint had done).</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>The metrics of every finished epoch.</summary>
    public IReadOnlyList<EpochMetrics> History => _history;

    /// <summary>The loss of the run's first batch, before any step: the scale divergence is judged against (NaN before it).</summary>
    public double InitialLoss { get; private set; } = double.NaN;

    /// <summary>Why the run ended before its last epoch (set by <see cref="Stop"/>), or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>True in the middle of an epoch that an interruption left unfinished.</summary>
    public bool IsMidEpoch => _order is not null;

    /// <summary>True once every epoch has run or a callback stopped the run.</summary>
    public bool IsFinished => CompletedEpochs >= Options.Epochs || StopReason is not null;

    /// <summary>Ends the run after the current epoch; <paramref name="reason"/> says why, in one line.</summary>
    public void Stop(string reason) => StopReason ??= reason ?? throw new ArgumentNullException(nameof(reason));

    /// <summary>
    /// Runs epochs until the run is finished or <paramref name="cancel"/> is signalled. On cancellation the batch in
    /// progress is completed and the trainer keeps its place, so <see cref="SaveCheckpoint"/> can store it and a later
    /// call (or a resumed trainer) continues exactly there. Returns true when the run is finished.
    /// </summary>
    public bool Fit(CancellationToken cancel = default)
    {
        while (!IsFinished)
            if (RunEpoch(cancel) is null) return false;
        return true;
    }

    /// <summary>
    /// One pass over the training samples in a fresh random order, one optimizer step per mini-batch, then the
    /// validation metrics and the callbacks. Returns null when <paramref name="cancel"/> stopped it after a batch
    /// (call again to finish the epoch).
    /// </summary>
    /// <exception cref="TrainingDivergedException">A batch's loss was not finite.</exception>
    public EpochMetrics? RunEpoch(CancellationToken cancel = default)
    {
        if (IsFinished) throw new NablaException($"the run is already finished ({StopReason ?? $"all {Options.Epochs} epochs done"})");
        if (_order is null) StartEpoch();
        if (Schedule is not null) Optimizer.LearningRate = Schedule.At(CompletedEpochs);
        Model.Train();
        int batches = Nabla.Data.Batches.Count(_order!.Length, Options.BatchSize);
        while (_batchesDone < batches)
        {
            if (cancel.IsCancellationRequested) return null;
            int start = _batchesDone * Options.BatchSize, n = Math.Min(Options.BatchSize, _order.Length - start);
            if (_parallel is not null)
            {
                TrainShare(_order.AsSpan(start, n), _parallel);
                _batchesDone++;
                continue;
            }
            var batch = Data.TrainingBatch(_order.AsSpan(start, n));
            Optimizer.ZeroGrad();
            var output = Model.Forward(batch.Inputs);
            var loss = Loss.Compute(output, batch);
            double value = double.CreateChecked(loss.ToScalar());
            if (!double.IsFinite(value)) throw new TrainingDivergedException(CompletedEpochs + 1, value, Optimizer.LearningRate);
            if (double.IsNaN(InitialLoss)) InitialLoss = value;
            loss.Backward();
            StepOptimizer();
            _lossSum += value * n;
            if (Loss.IsClassifier) _correct += CountCorrect(output, batch);
            _batchesDone++;
        }
        return FinishEpoch();
    }

    private void StartEpoch()
    {
        _epochStart = _rng.GetState();
        _order = _rng.Permutation(Data.TrainingRows);
        (_batchesDone, _lossSum, _correct) = (0, 0, 0);
    }

    private EpochMetrics FinishEpoch()
    {
        int rows = _order!.Length;
        var metrics = new EpochMetrics
        {
            Epoch = CompletedEpochs + 1,
            Loss = _lossSum / rows,
            Accuracy = Loss.IsClassifier ? (double)_correct / rows : null,
        };
        _order = null;
        _epochStart = null;
        (_batchesDone, _lossSum, _correct) = (0, 0, 0);
        CompletedEpochs++;
        if (Data.ValidationRows > 0)
        {
            var (validationLoss, validationAccuracy) = Evaluate(DataPart.Validation);
            metrics = metrics with { ValidationLoss = validationLoss, ValidationAccuracy = validationAccuracy };
        }
        _history.Add(metrics);
        StepSchedulerAfterEpoch(metrics);
        foreach (var callback in _callbacks) callback.OnEpochEnd(this, metrics);
        return metrics;
    }

    /// <summary>
    /// The mean loss over <paramref name="part"/> (and the accuracy, for a classifier) without recording gradients,
    /// in evaluation mode; every metric in <paramref name="metrics"/> is reset and given each batch. Nulls for no rows.
    /// </summary>
    public (double? Loss, double? Accuracy) Evaluate(DataPart part, params IMetric<T>[] metrics)
    {
        Limits.Defined(part, nameof(part));
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var metric in metrics) metric.Reset();
        int rows = part == DataPart.Training ? Data.TrainingRows : Data.ValidationRows;
        if (rows == 0) return (null, null);
        bool training = Model.IsTraining;
        Model.Eval();
        try
        {
            using var _ = NoGrad.Scope();
            double lossSum = 0;
            int correct = 0;
            var indices = new int[Math.Min(rows, Options.EvaluationBatchSize)];
            for (int start = 0; start < rows; start += indices.Length)
            {
                int n = Math.Min(indices.Length, rows - start);
                for (int i = 0; i < n; i++) indices[i] = start + i;
                var batch = part == DataPart.Training ? Data.TrainingBatch(indices.AsSpan(0, n)) : Data.ValidationBatch(indices.AsSpan(0, n));
                var output = Model.Forward(batch.Inputs);
                lossSum += double.CreateChecked(Loss.Compute(output, batch).ToScalar()) * n;
                if (Loss.IsClassifier) correct += CountCorrect(output, batch);
                foreach (var metric in metrics) metric.Add(output, batch);
            }
            return (lossSum / rows, Loss.IsClassifier ? (double)correct / rows : null);
        }
        finally
        {
            Model.Train(training);
        }
    }

    private int CountCorrect(Tensor<T> output, Batch<T> batch)
    {
        var labels = batch.Labels ?? throw new NablaException("a classifier's batch has no class labels");
        ReadOnlySpan<T> values = output.IsContiguous ? output.AsReadOnlySpan() : output.ToArray();
        int k = values.Length / labels.Length, correct = 0;
        for (int r = 0; r < labels.Length; r++)
            if (Loss.PredictedClass(values.Slice(r * k, k)) == labels[r]) correct++;
        return correct;
    }
}
