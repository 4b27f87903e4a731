using System.Numerics;
using Nabla.Data;
using Nabla.Losses;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Reports;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>
/// Trains an MLP on <see cref="TrainingData"/> with mini-batches. Every random choice — the validation
/// split, the initial weights, each epoch's shuffle — comes from one NumPy-exact generator seeded from the
/// settings, in that order, so a run is reproducible and a checkpoint can resume it bit-exactly.
/// </summary>
public sealed partial class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RandomState _rng;
    private readonly T[] _x;           // standardised features, row-major
    private readonly T[] _y;           // targets as the loss wants them: 0/1, ±1, or standardised values
    private readonly int[] _labels;    // class indices (classifiers)
    private readonly ILearningRateSchedule _schedule;
    private readonly List<EpochMetrics> _history = [];

    public Trainer(TrainingData data, TrainSettings settings)
    {
        Data = data;
        Settings = settings;
        LossName = settings.LossFor(data);
        LayerSizes = settings.LayerSizes(data);
        _rng = new RandomState(settings.Seed);
        int[] order = settings.Validation > 0 ? _rng.Permutation(data.Rows) : [.. Enumerable.Range(0, data.Rows)];
        Split = settings.Validation > 0 ? Nabla.Data.Split.TrainValidation(data.Rows, settings.Validation, order) : new SplitIndices(order, []);
        Standardizer = Standardizer.Fit(data.Features, Split.Train);

        var x = (double[])data.Features.Values.Clone();
        Standardizer.TransformInPlace(x);
        _x = Array.ConvertAll(x, T.CreateChecked);
        (TargetMean, TargetStd) = LossName == "mse" ? MeanStd(data.Targets, Split.Train) : (0.0, 1.0);
        _labels = Array.ConvertAll(data.Targets, t => (int)t);
        _y = Array.ConvertAll(data.Targets, t => T.CreateChecked(LossName switch
        {
            "mse" => (t - TargetMean) / TargetStd,
            "hinge" => t == 1 ? 1.0 : -1.0,
            _ => t,
        }));

        Model = Mlp.Create<T>(LayerSizes, settings.Activation, _rng);
        var parameters = Model.Parameters();
        Optimizer = settings.Optimizer switch
        {
            "sgd" => new Sgd<T>(parameters, settings.LearningRate, settings.Momentum, weightDecay: settings.WeightDecay),
            "adamw" => new AdamW<T>(parameters, settings.LearningRate, weightDecay: settings.WeightDecay),
            _ => new Adam<T>(parameters, settings.LearningRate, weightDecay: settings.WeightDecay),
        };
        _schedule = settings.Schedule switch
        {
            "step" => new StepSchedule(settings.LearningRate, Math.Max(1, settings.Epochs / 3)),
            "linear" => new LinearDecaySchedule(settings.LearningRate, 0, settings.Epochs),
            "cosine" => new CosineSchedule(settings.LearningRate, settings.Epochs),
            _ => new ConstantSchedule(settings.LearningRate),
        };
        Predictor = new Predictor<T>(Model, Standardizer, LossName, data.Classes.Count, TargetMean, TargetStd);
    }

    public TrainingData Data { get; }
    public TrainSettings Settings { get; }
    public string LossName { get; }
    public int[] LayerSizes { get; }
    public SplitIndices Split { get; }
    public Standardizer Standardizer { get; }
    public double TargetMean { get; }
    public double TargetStd { get; }
    public Sequential<T> Model { get; }
    public Optimizer<T> Optimizer { get; }
    public Predictor<T> Predictor { get; }
    public bool IsClassifier => LossName != "mse";

    /// <summary>Epochs finished so far (including those a resumed checkpoint had done).</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>The metrics of every finished epoch.</summary>
    public IReadOnlyList<EpochMetrics> History => _history;

    public bool IsFinished => CompletedEpochs >= Settings.Epochs;

    /// <summary>One pass over the training rows in a fresh random order, one optimizer step per mini-batch.</summary>
    public EpochMetrics RunEpoch()
    {
        Optimizer.LearningRate = _schedule.At(CompletedEpochs);
        var shuffle = _rng.Permutation(Split.Train.Length);
        var order = Array.ConvertAll(shuffle, i => Split.Train[i]);
        double lossSum = 0;
        int correct = 0;
        foreach (var rows in Batches.Over(order, Settings.BatchSize))
        {
            if (_parallel is not null)
            {
                var (shareLoss, shareCorrect) = TrainShare(rows, _parallel);
                lossSum += shareLoss;
                correct += shareCorrect;
                continue;
            }
            var (x, y, labels) = Gather(rows);
            Optimizer.ZeroGrad();
            var output = Model.Forward(x);
            var loss = Loss(output, y, labels);
            loss.Backward();
            Optimizer.Step();
            lossSum += double.CreateChecked(loss.ToScalar()) * rows.Count;
            if (IsClassifier) correct += CountCorrect(output, labels);
        }
        if (_parallel is not null) (lossSum, correct) = SumOverRanks(_parallel, lossSum, correct);
        CompletedEpochs++;
        var (validationLoss, validationAccuracy) = Evaluate(Split.Validation);
        var metrics = new EpochMetrics
        {
            Epoch = CompletedEpochs,
            Loss = lossSum / Split.Train.Length,
            ValidationLoss = validationLoss,
            Accuracy = IsClassifier ? (double)correct / Split.Train.Length : null,
            ValidationAccuracy = validationAccuracy,
        };
        _history.Add(metrics);
        return metrics;
    }

    /// <summary>Mean loss and accuracy (classifiers) over <paramref name="rows"/> without recording gradients; nulls for no rows.</summary>
    public (double? Loss, double? Accuracy) Evaluate(IReadOnlyList<int> rows)
    {
        if (rows.Count == 0) return (null, null);
        using var _ = NoGrad.Scope();
        double lossSum = 0;
        int correct = 0;
        var all = rows as int[] ?? [.. rows];
        foreach (var chunk in Batches.Over(all, 4096))
        {
            var (x, y, labels) = Gather(chunk);
            var output = Model.Forward(x);
            lossSum += double.CreateChecked(Loss(output, y, labels).ToScalar()) * chunk.Count;
            if (IsClassifier) correct += CountCorrect(output, labels);
        }
        return (lossSum / rows.Count, IsClassifier ? (double)correct / rows.Count : null);
    }

    private Tensor<T> Loss(Tensor<T> output, Tensor<T> y, int[] labels) => LossName switch
    {
        "ce" => Nabla.Losses.Loss.CrossEntropy(output, labels),
        "bce" => Nabla.Losses.Loss.BinaryCrossEntropyWithLogits(output, y),
        "hinge" => Nabla.Losses.Loss.Hinge(output, y),
        _ => Nabla.Losses.Loss.Mse(output, y),
    };

    private (Tensor<T> X, Tensor<T> Y, int[] Labels) Gather(ArraySegment<int> rows)
    {
        int columns = Data.Features.Columns, n = rows.Count;
        var x = GC.AllocateUninitializedArray<T>(n * columns);
        var y = GC.AllocateUninitializedArray<T>(n);
        var labels = new int[n];
        for (int r = 0; r < n; r++)
        {
            int row = rows[r];
            _x.AsSpan(row * columns, columns).CopyTo(x.AsSpan(r * columns, columns));
            y[r] = _y[row];
            labels[r] = _labels[row];
        }
        return (new Tensor<T>(x, n, columns), new Tensor<T>(y, n, 1), labels);
    }

    private int CountCorrect(Tensor<T> output, int[] labels)
    {
        var values = output.ToArray();
        int k = values.Length / labels.Length, correct = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            int predicted;
            if (k == 1) predicted = values[r] > T.Zero ? 1 : 0;
            else
            {
                predicted = 0;
                for (int c = 1; c < k; c++) if (values[r * k + c] > values[r * k + predicted]) predicted = c;
            }
            if (predicted == labels[r]) correct++;
        }
        return correct;
    }

    private static (double Mean, double Std) MeanStd(double[] values, int[] rows)
    {
        double mean = rows.Average(r => values[r]);
        double variance = rows.Average(r => (values[r] - mean) * (values[r] - mean));
        double std = Math.Sqrt(variance);
        return (mean, std > 0 && double.IsFinite(std) ? std : 1.0);
    }
}
