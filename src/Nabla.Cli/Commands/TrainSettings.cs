using System.Globalization;
using System.Text.Json;

using Nabla.Training;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>
/// Everything <c>nabla train</c>'s flags decide about a run, by name; <see cref="TrainSetup{T}"/> turns them into the
/// library's objects. Two runs with equal settings on equal data produce bit-identical weights, which is what lets
/// a checkpoint resume a run exactly.
/// </summary>
public sealed record TrainSettings
{
    /// <summary>The allowed hidden-layer activations.</summary>
    public static readonly string[] Activations = TrainChoices.Activations;
    /// <summary>The allowed losses.</summary>
    public static readonly string[] Losses = TrainChoices.Losses;
    /// <summary>The allowed optimizers.</summary>
    public static readonly string[] Optimizers = TrainChoices.Optimizers;
    /// <summary>The allowed learning-rate schedules.</summary>
    public static readonly string[] Schedules = TrainChoices.Schedules;
    /// <summary>The allowed precisions.</summary>
    public static readonly string[] DTypes = TrainChoices.DTypes;

    // Each number meets the rule of its flag in OptionRules, the one place the rules are written: the command line
    // checks the text there before parsing, and settings made in code meet the same rule here.

    /// <summary>Hidden layer sizes, input side first (the input and output sizes come from the data).</summary>
    public int[] Hidden { get; init => field = OptionRules.Require("--hidden", value); } = [16, 16];

    /// <summary>
    /// The network as an <see cref="Nn.Architecture"/> description ("conv 6 5, relu, maxpool 2, flatten, linear 10"),
    /// or null for an MLP of <see cref="Hidden"/> and <see cref="Activation"/>.
    /// </summary>
    public string? Layers { get; init; }

    /// <summary>The hidden layers' activation.</summary>
    public ActivationChoice Activation { get; init => field = Limits.Defined(value, nameof(Activation)); } = ActivationChoice.Relu;

    /// <summary>The loss; null picks one from the task (ce or bce for classes, mse for values).</summary>
    public LossChoice? Loss { get; init => field = value is { } loss ? Limits.Defined(loss, nameof(Loss)) : null; }

    /// <summary>The optimizer.</summary>
    public OptimizerChoice Optimizer { get; init => field = Limits.Defined(value, nameof(Optimizer)); } = OptimizerChoice.Adam;

    /// <summary>The (initial) learning rate.</summary>
    public double LearningRate { get; init => field = OptionRules.Require("--lr", value); } = 0.01;

    /// <summary>SGD's momentum (0 for plain SGD).</summary>
    public double Momentum { get; init => field = OptionRules.Require("--momentum", value); } = 0.9;

    /// <summary>Weight decay (L2 for sgd and adam, decoupled for adamw).</summary>
    public double WeightDecay { get; init => field = OptionRules.Require("--weight-decay", value); }

    /// <summary>The learning-rate schedule.</summary>
    public ScheduleChoice Schedule { get; init => field = Limits.Defined(value, nameof(Schedule)); } = ScheduleChoice.Constant;

    /// <summary>Clip the gradients' global 2-norm to this before every optimizer step; null: no clipping.</summary>
    public double? ClipGrad { get; init => field = value is { } clip ? OptionRules.Require("--clip-grad", clip) : null; }

    /// <summary>Optimizer steps of linear learning-rate warm-up before the schedule alone sets the rate; null: none.</summary>
    public int? Warmup { get; init => field = value is { } steps ? OptionRules.Require("--warmup", steps) : null; }

    /// <summary>Passes over the training rows.</summary>
    public int Epochs { get; init => field = OptionRules.Require("--epochs", value); } = 100;

    /// <summary>Rows per optimizer step.</summary>
    public int BatchSize { get; init => field = OptionRules.Require("--batch-size", value); } = 32;

    /// <summary>The seed of the generator behind the split, the initial weights and the shuffles.</summary>
    public uint Seed { get; init; }

    /// <summary>The fraction of rows held out for validation, in [0, 1).</summary>
    public double Validation { get; init => field = OptionRules.Require("--validation", value); } = 0.2;

    /// <summary>The precision.</summary>
    public DTypeChoice DType { get; init => field = Limits.Defined(value, nameof(DType)); } = DTypeChoice.Float64;

    /// <summary>The task asked for with --task; null decides it from the target.</summary>
    public TaskKind? Task { get; init => field = value is { } task ? Limits.Defined(task, nameof(Task)) : null; }

    /// <summary>Epochs without a better validation loss that stop the run (keeping the best epoch's weights); null: never stop early.</summary>
    public int? EarlyStopping { get; init => field = value is { } patience ? OptionRules.Require("--early-stopping", patience) : null; }

    /// <summary>The loss this run uses on <paramref name="data"/>, checked against its task.</summary>
    public LossChoice LossFor(LabeledTable data)
    {
        var loss = Loss ?? (data.Task == TaskKind.Regression ? LossChoice.Mse : data.Classes.Count == 2 ? LossChoice.Bce : LossChoice.Ce);
        if (data.Task == TaskKind.Regression && loss != LossChoice.Mse)
            throw new NablaException($"--loss {loss.Name()} needs class labels, but the target is a value to regress ({data.TaskReason}); drop --loss, or give --task classify to treat its values as classes");
        if (data.Task == TaskKind.Classification && loss == LossChoice.Mse)
            throw new NablaException($"--loss mse needs a numeric target, but the target is a classification ({data.TaskReason}); use --loss ce, bce or hinge, or --task regress for numbers");
        if (loss is LossChoice.Bce or LossChoice.Hinge && data.Classes.Count != 2)
            throw new NablaException($"--loss {loss.Name()} needs exactly 2 classes, but '{data.TargetName}' has {data.Classes.Count}: {string.Join(", ", data.Classes.Take(10))} (use --loss ce)");
        if (data.Task == TaskKind.Classification && data.Classes.Count < 2)
            throw new NablaException($"the target '{data.TargetName}' has only one class; a classifier needs at least 2");
        return loss;
    }

    /// <summary>Layer sizes from input to output for <paramref name="data"/>.</summary>
    public int[] LayerSizes(LabeledTable data) =>
        [data.Features.Columns, .. Hidden, LossFor(data) == LossChoice.Ce ? data.Classes.Count : 1];

    /// <summary>A canonical text of the settings, stored in checkpoints so a resume can refuse different ones.</summary>
    public string Fingerprint(LabeledTable data)
    {
        // Written field by field (no reflection, so it works in a Native AOT binary); the text is what serializing
        // an object with these properties in this order gives.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("hidden");
            foreach (int h in Hidden) json.WriteNumberValue(h);
            json.WriteEndArray();
            json.WriteString("activation", Activation.Name());
            json.WriteString("loss", LossFor(data).Name());
            json.WriteString("optimizer", Optimizer.Name());
            json.WriteNumber("lr", LearningRate);
            json.WriteNumber("momentum", Momentum);
            json.WriteNumber("weightDecay", WeightDecay);
            json.WriteString("schedule", Schedule.Name());
            json.WriteNumber("epochs", Epochs);
            json.WriteNumber("batchSize", BatchSize);
            json.WriteNumber("seed", Seed);
            json.WriteNumber("validation", Validation);
            json.WriteString("dtype", DType.Name());
            if (Layers is not null) json.WriteString("layers", Layers);
            json.WriteString("data", data.Description);
            json.WriteNumber("rows", data.Rows);
            json.WriteString("contents", data.ContentHash().ToString("x16", CultureInfo.InvariantCulture));
            if (EarlyStopping is { } patience) json.WriteNumber("earlyStopping", patience);
            else json.WriteNull("earlyStopping");
            json.WriteString("task", Task?.ToString());   // null writes null
            // Written only when given, so the fingerprint of a run without them (and its checkpoints) is unchanged.
            if (ClipGrad is { } clip) json.WriteNumber("clipGrad", clip);
            if (Warmup is { } warmup) json.WriteNumber("warmup", warmup);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
