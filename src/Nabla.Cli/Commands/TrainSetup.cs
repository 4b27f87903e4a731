using System.Numerics;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Records;
using Nabla.Reports;
using Nabla.Rng;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>
/// Where <c>nabla train</c>'s names become the library's objects: the data split and standardised, an MLP, the
/// optimizer, the learning-rate schedule and the loss, and a <see cref="Trainer{T}"/> over them. One generator seeded
/// from the settings draws the split, then the initial weights, then each epoch's shuffle, in that order.
/// </summary>
public sealed class TrainSetup<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Builds every object of a run of <paramref name="settings"/> on <paramref name="data"/>.</summary>
    public TrainSetup(LabeledTable data, TrainSettings settings)
    {
        Settings = settings;
        var lossName = settings.LossFor(data);
        var rng = new RandomState(settings.Seed);
        Set = TrainingSet.Prepare<T>(data, settings.Validation, rng);
        int[] layers = settings.LayerSizes(data);
        Module<T> network = settings.Layers is null ? Mlp.Create<T>(layers, settings.Activation.Name(), rng) : Described(settings.Layers, data, layers, rng);
        if (settings.Layers is not null) layers = [layers[0], layers[^1]];
        TrainingLoss<T> loss = lossName switch
        {
            LossChoice.Ce => new CrossEntropyLoss<T>(),
            LossChoice.Bce => new BinaryCrossEntropyLoss<T>(),
            LossChoice.Hinge => new HingeLoss<T>(),
            LossChoice.Mse => new MseLoss<T>(),
            var other => throw new ArgumentOutOfRangeException(nameof(settings), other, "not a loss"),
        };
        var parameters = network.Parameters();
        Optimizer<T> optimizer = settings.Optimizer switch
        {
            OptimizerChoice.Sgd => new Sgd<T>(parameters, settings.LearningRate, settings.Momentum, weightDecay: settings.WeightDecay),
            OptimizerChoice.AdamW => new AdamW<T>(parameters, settings.LearningRate, weightDecay: settings.WeightDecay),
            OptimizerChoice.Adam => new Adam<T>(parameters, settings.LearningRate, weightDecay: settings.WeightDecay),
            var other => throw new ArgumentOutOfRangeException(nameof(settings), other, "not an optimizer"),
        };
        ILearningRateSchedule? schedule = settings.Schedule switch
        {
            ScheduleChoice.Step => new StepSchedule(settings.LearningRate, Math.Max(1, settings.Epochs / 3)),
            ScheduleChoice.Linear => new LinearDecaySchedule(settings.LearningRate, 0, settings.Epochs),
            ScheduleChoice.Cosine => new CosineSchedule(settings.LearningRate, settings.Epochs),
            ScheduleChoice.Constant => new ConstantSchedule(settings.LearningRate),
            var other => throw new ArgumentOutOfRangeException(nameof(settings), other, "not a schedule"),
        };
        var options = new TrainerOptions
        {
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            RunIdentity = settings.Fingerprint(data),
            ClipGradNorm = settings.ClipGrad,
        };
        if (settings.Warmup is { } warmup)
        {
            // Warm-up and schedule as one factor stepped per optimizer step: step s (0 for the run's first) lies in
            // epoch ⌊s / batches per epoch⌋ and runs at that epoch's scheduled rate times WarmupFactor(s).
            int batches = Nabla.Data.Batches.Count(Set.TrainingRows, settings.BatchSize);
            double lr = settings.LearningRate;
            var epochSchedule = schedule;
            options = options with
            {
                Scheduler = o => new LambdaLR(o, s => WarmupFactor(s, warmup) * (epochSchedule.At(s / batches) / lr)),
                SchedulerStep = SchedulerInterval.Batch,
            };
            schedule = null;
        }
        Trainer = new Trainer<T>(network, optimizer, loss, Set, options, schedule, rng);
        Model = new TabularModel<T>(network, layers, settings.Activation.Name(), loss, data, Set.Standardizer!, Set.TargetScale, settings.Layers);
    }

    /// <summary>
    /// The warm-up factor of optimizer step <paramref name="step"/> (0 for the first) with <paramref name="steps"/> N
    /// warm-up steps: 1/N + (1 − 1/N)·min(step, N)/N, from 1/N at step 0 up to 1 at step N and after (the factor of
    /// PyTorch's <c>LinearLR(start_factor=1/N, end_factor=1, total_iters=N)</c>).
    /// </summary>
    public static double WarmupFactor(int step, int steps) => 1.0 / steps + (1 - 1.0 / steps) * Math.Min(step, steps) / steps;

    /// <summary>The network of an architecture description, checked to give one output per sample of what the loss needs.</summary>
    private static Sequential<T> Described(string description, LabeledTable data, int[] layers, RandomState rng)
    {
        var (network, output) = Architecture.Build<T>(description, [data.Features.Columns], rng, data.Image?.ToArray());
        if (!output.SequenceEqual([layers[^1]]))
        {
            string needs = data.Task == TaskKind.Regression ? "a regression needs 1" : layers[^1] == 1 ? "two classes need 1 (a score)" : $"{layers[^1]} classes need {layers[^1]}";
            throw new NablaException($"--layers: the network's last layer gives outputs of shape {Nabla.Tensors.Shapes.Format(output)} per sample, but {needs}; end with \"linear {layers[^1]}\"");
        }
        return network;
    }

    /// <summary>The number of trained values (every parameter's elements).</summary>
    public long ParameterCount => Trainer.Model.Parameters().Sum(p => (long)p.ElementCount);

    /// <summary>The settings the objects were built from.</summary>
    public TrainSettings Settings { get; }

    /// <summary>The split and standardised data.</summary>
    public TrainingSet<T> Set { get; }

    /// <summary>The trainer.</summary>
    public Trainer<T> Trainer { get; }

    /// <summary>The network with what a model file needs.</summary>
    public TabularModel<T> Model { get; }

    /// <summary>
    /// Names for the first linear layer's inputs when they are a flattened feature map [C, H, W]: "map c (row, column)",
    /// counted from 1, in flatten's order; null when the network is not fed by such a map.
    /// </summary>
    private IReadOnlyList<string>? FeatureMapNames(int features)
    {
        if (Model.Data.Image is not { } image) return null;
        var map = Trainer.Model.Summary(1, image.Channels * image.Height * image.Width).Rows
            .Select(r => r.OutputShape).LastOrDefault(s => s is { Count: 4 } && (long)s[1] * s[2] * s[3] == features);
        if (map is null) return null;
        int rows = map[2], columns = map[3];
        return [.. Enumerable.Range(0, features).Select(i =>
            $"map {i / (rows * columns) + 1} ({i / columns % rows + 1}, {i % columns + 1})")];
    }

    /// <summary>The settings as a run record states them.</summary>
    public RunSettings RecordSettings()
    {
        var data = Model.Data;
        var s = Settings;
        IReadOnlyList<int> layers = Model.LayerSizes;
        IReadOnlyList<string> inputs = data.Features.ColumnNames;
        if (s.Layers is not null)
        {
            // The diagram draws the chain of linear layers; the convolutions are drawn as filters.
            var linears = RunRecorder<T>.LinearLayers(Trainer.Model).ToList();
            if (linears.Count == 0 || linears[^1].OutFeatures != layers[^1])
                throw new NablaException($"--record and --report draw the network's linear layers, so the network must end with one (\"linear {layers[^1]}\"): {s.Layers}");
            layers = [linears[0].InFeatures, .. linears.Select(l => l.OutFeatures)];
            if (layers[0] != inputs.Count) inputs = FeatureMapNames(layers[0]) ?? [.. Enumerable.Range(1, layers[0]).Select(i => $"x{i}")];
        }
        return new RunSettings
        {
            Data = data.Description,
            Architecture = s.Layers,
            Inputs = inputs,
            Outputs = Model.Loss.Name == "ce" ? data.Classes.Select(c => $"p({c})").ToList()
                : Model.Loss.IsClassifier ? [$"p({data.Classes[1]})"] : [data.TargetName],
            Layers = layers,
            Activation = s.Layers is null ? s.Activation.Name() : Activations(s.Layers),
            Loss = Model.Loss.Name,
            Optimizer = s.Optimizer.Name(),
            LearningRate = s.LearningRate,
            Epochs = s.Epochs,
            BatchSize = s.BatchSize,
            Seed = s.Seed,
            Validation = s.Validation,
            ClipGrad = s.ClipGrad,
            Warmup = s.Warmup,
        };
    }

    // The activations a description uses, in order of first use ("relu, tanh"), or "none".
    private static string Activations(string description)
    {
        var used = description.Split(',').Select(l => l.Trim().Split(' ')[0].ToLowerInvariant()).Where(Activation.Names.Contains).Distinct().ToList();
        return used.Count == 0 ? "none" : string.Join(", ", used);
    }

    /// <summary>A recorder of this run for a run record or report, keeping at most <paramref name="snapshots"/> weight snapshots.</summary>
    public RunRecorder<T> Recorder(int snapshots = 30) => new(Trainer, RecordSettings(), Model, snapshots);
}
