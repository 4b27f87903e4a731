using System.CommandLine;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla train</c>: trains an MLP on a CSV file or a built-in dataset, with a live progress bar,
/// a summary table, and optionally a saved model, checkpoints that <c>--resume</c> continues
/// bit-exactly, a loss plot, a run record and an HTML report.
/// </summary>
public static class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new Option<string>("--data") { Description = "A CSV file with a header row." };
        var target = new Option<string>("--target") { Description = "With --data: the column to predict." };
        var features = new Option<string>("--features") { Description = "With --data: feature columns, e.g. \"x1,x2\" (default: all but the target)." };
        var dropMissing = new Option<bool>("--drop-missing") { Description = "With --data: drop rows with empty cells (default: refuse them)." };
        var dataset = new Option<string>("--dataset") { Description = $"A built-in dataset: {string.Join(", ", TrainingData.DatasetNames)}." };
        var samples = new Option<int>("--samples") { Description = "With --dataset: how many rows (default 200).", DefaultValueFactory = _ => 200 };
        var noise = new Option<double>("--noise") { Description = "With --dataset: noise level (default 0.1).", DefaultValueFactory = _ => 0.1 };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer sizes (default 16,16).", DefaultValueFactory = _ => "16,16" };
        var activation = Choice("--activation", "Hidden-layer activation.", "relu", TrainSettings.Activations);
        var task = new Option<string>("--task") { Description = "classify or regress (default: classify a target of text or of at most 10 distinct whole numbers, regress any other)." };
        task.AcceptOnlyFromAmong("classify", "regress");
        var earlyStopping = new Option<int?>("--early-stopping") { Description = "Stop after this many epochs without a better validation loss, keeping the best epoch's weights." };
        var loss = new Option<string>("--loss") { Description = "mse, bce, ce or hinge (default: bce or ce for classes, mse for values)." };
        loss.AcceptOnlyFromAmong(TrainSettings.Losses);
        var optimizer = Choice("--optimizer", "The optimizer.", "adam", TrainSettings.Optimizers);
        var lr = new Option<double>("--lr") { Description = "Learning rate (default 0.01).", DefaultValueFactory = _ => 0.01 };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum (default 0.9).", DefaultValueFactory = _ => 0.9 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay (default 0)." };
        var schedule = Choice("--schedule", "Learning-rate schedule.", "constant", TrainSettings.Schedules);
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training rows (default 100).", DefaultValueFactory = _ => 100 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per optimizer step (default 32).", DefaultValueFactory = _ => 32 };
        var seed = new Option<uint>("--seed") { Description = "Seed of the NumPy-exact generator (default 0)." };
        var validation = new Option<double>("--validation") { Description = "Fraction of rows held out (default 0.2).", DefaultValueFactory = _ => 0.2 };
        var dtype = Choice("--dtype", "Precision.", "float64", TrainSettings.DTypes);
        var save = new Option<string>("--save") { Description = "Write the trained model here (safetensors)." };
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint file (default: the --save path + .ckpt)." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Rewrite the checkpoint every N epochs (default 10).", DefaultValueFactory = _ => 10 };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint." };
        var plot = new Option<string>("--plot") { Description = "Write the loss curves as an SVG chart." };
        var record = new Option<string>("--record") { Description = "Write the run (settings, metrics, weight snapshots) as JSON for 'nabla report'." };
        var report = new Option<string>("--report") { Description = "Write an interactive HTML report of the run." };
        var snapshots = new Option<int>("--snapshots") { Description = "Most weight snapshots to record (default 30).", DefaultValueFactory = _ => 30 };

        var command = new Command("train", "Train a neural network on a CSV file or a built-in dataset.")
        {
            data, target, features, dropMissing, dataset, samples, noise, hidden, activation, loss, optimizer, lr, momentum,
            weightDecay, schedule, epochs, batchSize, seed, validation, dtype, save, checkpoint, checkpointEvery, resume, plot,
            record, report, snapshots, task, earlyStopping,
        };
        command.SetAction(parse => CliAction.Guard(stderr, () =>
        {
            var settings = new TrainSettings
            {
                Hidden = ParseSizes(parse.GetValue(hidden)!),
                Activation = parse.GetValue(activation)!,
                Loss = parse.GetValue(loss),
                Optimizer = parse.GetValue(optimizer)!,
                LearningRate = parse.GetValue(lr),
                Momentum = parse.GetValue(momentum),
                WeightDecay = parse.GetValue(weightDecay),
                Schedule = parse.GetValue(schedule)!,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                Seed = parse.GetValue(seed),
                Validation = parse.GetValue(validation),
                DType = parse.GetValue(dtype)!,
                Task = parse.GetValue(task) switch { "classify" => TaskKind.Classification, "regress" => TaskKind.Regression, _ => null },
                EarlyStopping = parse.GetValue(earlyStopping),
            };
            var source = LoadData(parse.GetValue(data), parse.GetValue(target), parse.GetValue(features), parse.GetValue(dropMissing),
                parse.GetValue(dataset), parse.GetValue(samples), parse.GetValue(noise), settings);
            string? savePath = parse.GetValue(save);
            var outputs = new TrainOutputs(savePath, parse.GetValue(checkpoint) ?? (savePath is null ? null : savePath + ".ckpt"),
                parse.GetValue(checkpointEvery), parse.GetValue(resume), parse.GetValue(plot), parse.GetValue(record),
                parse.GetValue(report), parse.GetValue(snapshots),
                "nabla " + string.Join(" ", parse.Tokens.Select(t => Quote(t.Value)).Where(t => t != "--resume")));
            if (outputs.CheckpointEvery <= 0) throw new CliException($"--checkpoint-every: expected a positive whole number, not {outputs.CheckpointEvery}");
            if (outputs.Resume && outputs.Checkpoint is null) throw new CliException("--resume needs a checkpoint: give --checkpoint, or --save (whose path + .ckpt is the checkpoint)");
            return settings.DType == "float32"
                ? TrainRun<float>.Run(source, settings, outputs, stdout, stderr)
                : TrainRun<double>.Run(source, settings, outputs, stdout, stderr);
        }));
        return command;
    }

    private static Option<string> Choice(string name, string description, string defaultValue, string[] allowed)
    {
        var option = new Option<string>(name) { Description = $"{description} {string.Join(", ", allowed)} (default {defaultValue}).", DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }

    // A token as a shell reads it back: quoted when it holds anything but plain characters.
    private static string Quote(string token) =>
        token.Length > 0 && token.All(c => char.IsLetterOrDigit(c) || "-_./=,:+@%".Contains(c)) ? token : "'" + token.Replace("'", "'\\''") + "'";

    private static int[] ParseSizes(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out sizes[i]) || sizes[i] <= 0)
                throw new CliException($"--hidden: \"{parts[i]}\" is not a positive layer size (expected a list such as 16,16)");
        if (sizes.Length == 0) throw new CliException("--hidden: expected a list of layer sizes such as 16,16");
        return sizes;
    }

    private static TrainingData LoadData(string? data, string? target, string? features, bool dropMissing, string? dataset,
        int samples, double noise, TrainSettings settings)
    {
        if (data is not null && dataset is not null) throw new CliException("give either --data or --dataset, not both");
        if (dataset is not null)
        {
            var set = TrainingData.FromDataset(dataset, samples, noise, settings.Seed);
            if (settings.Task is { } asked && asked != set.Task)
                throw new CliException($"--task {(asked == TaskKind.Classification ? "classify" : "regress")} does not fit the {dataset} dataset, which is a {(set.Task == TaskKind.Classification ? "classification" : "regression")}; drop --task");
            return set;
        }
        if (data is null) throw new CliException($"nothing to train on: give --data file.csv --target column, or --dataset {string.Join("|", TrainingData.DatasetNames)}");
        if (target is null) throw new CliException("--data needs --target, the column to predict");
        try
        {
            return TrainingData.FromCsv(data, target, Assignments.ParseNames(features), settings.Task, dropMissing);
        }
        catch (TaskMismatchException e)
        {
            throw new CliException($"{e.Message}: use --task {(e.Suggested == TaskKind.Classification ? "classify" : "regress")}{(settings.Task is null ? "" : " or drop --task")}");
        }
    }
}

/// <summary>Where <c>train</c> writes what it produces.</summary>
/// <param name="ResumeCommand">The command line that started the run, without --resume, for the message that says how to continue it.</param>
public sealed record TrainOutputs(string? Save, string? Checkpoint, int CheckpointEvery, bool Resume, string? Plot, string? Record, string? Report, int Snapshots,
    string ResumeCommand);
