using System.CommandLine;
using System.Globalization;
using Nabla.Training;
using Nabla.Data;

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
        var data = new Option<string>("--data") { Description = "A CSV file with a header row, or IDX images (with --labels)." };
        var labels = new Option<string>("--labels") { Description = "With IDX images as --data: the IDX file of their labels (MNIST's layout, gz or not)." };
        var image = new Option<string>("--image") { Description = "With a CSV --data: read each row's feature columns as one image of CxHxW pixels, e.g. 1x28x28." };
        var layers = new Option<string>("--layers") { Description = "The network, e.g. \"conv 6 5, relu, maxpool 2, flatten, linear 10\", or a JSON file of layers (default: an MLP of --hidden and --activation)." };
        var target = new Option<string>("--target") { Description = "With --data: the column to predict." };
        var features = new Option<string>("--features") { Description = "With --data: feature columns, e.g. \"x1,x2\" (default: all but the target)." };
        var dropMissing = new Option<bool>("--drop-missing") { Description = "With --data: drop rows with empty cells (default: refuse them)." };
        var dataset = new Option<string>("--dataset") { Description = $"A built-in dataset: {string.Join(", ", LabeledTable.DatasetNames)}." };
        var samples = new Option<int>("--samples") { Description = "With --dataset: how many rows (default 200).", DefaultValueFactory = _ => 200 };
        var noise = new Option<double?>("--noise") { Description = "With --dataset: noise level (default 0.1; 0.3 for shapes)." };
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
        var clipGrad = new Option<double?>("--clip-grad") { Description = "Before every optimizer step, scale the gradients down so their global 2-norm (all parameters as one vector) is at most this (PyTorch's clip_grad_norm_)." };
        var warmup = new Option<int?>("--warmup") { Description = "Warm the learning rate up over the first N optimizer steps: step s (from 0) uses the --schedule rate of its epoch times 1/N + (1 - 1/N)·min(s, N)/N (PyTorch's LinearLR from 1/N to 1 over N steps); from step N on, the schedule alone." };
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
        var text = new Option<string>("--text") { Description = "A UTF-8 text file: train a character-level language model on it (see 'nabla generate')." };
        var context = new Option<int?>("--context") { Description = "With --text: characters per window, the model's context (default 64)." };
        var stepsPerEpoch = new Option<int?>("--steps-per-epoch") { Description = "With --text: optimizer steps per epoch, each on --batch-size random windows (default 100)." };
        var distributed = new Option<bool>("--distributed") { Description = "One rank of a data-parallel run: start with mpirun -np N nabla train … --distributed (Open MPI); --batch-size stays the global batch." };

        var command = new Command("train", "Train a neural network on a CSV file or a built-in dataset.")
        {
            data, labels, image, target, features, dropMissing, dataset, layers, samples, noise, hidden, activation, loss, optimizer, lr, momentum,
            weightDecay, schedule, clipGrad, warmup, epochs, batchSize, seed, validation, dtype, save, checkpoint, checkpointEvery, resume, plot,
            record, report, snapshots, task, earlyStopping, distributed, text, context, stepsPerEpoch,
        };
        var delimiter = DelimiterOption.Create();
        command.Options.Add(delimiter);
        command.SetAction(parse => parse.GetValue(distributed)
            ? DistributedTrain.Run(stdout, stderr, (rank, output) => Train(parse, rank, output))
            : MpiLaunch.RefuseUndistributed(stderr) ?? CliAction.Guard(stderr, () => Train(parse, null, stdout)));
        return command;

        int Train(ParseResult parse, DistributedTrain? rank, TextWriter stdout)
        {
            if (parse.GetValue(text) is { } corpus)
            {
                Option[] tableOnly = [data, labels, image, target, features, dropMissing, dataset, samples, noise, hidden, activation, task, loss,
                    earlyStopping, distributed, plot, snapshots, schedule, delimiter];
                if (tableOnly.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } extra)
                    throw new CliException($"{extra.Name} is not for a --text run (a character-level language model); drop it");
                T? Given<T>(Option<T> o) where T : struct => parse.GetResult(o) is { Implicit: false } ? parse.GetValue(o) : null;
                return TextTrain.Run(new TextTrainOptions(corpus, parse.GetValue(context), parse.GetValue(stepsPerEpoch), LayersOption(parse.GetValue(layers)),
                    parse.GetValue(optimizer)!, Given(lr), parse.GetValue(momentum), parse.GetValue(weightDecay), Given(epochs), Given(batchSize),
                    parse.GetValue(seed), Given(validation), parse.GetResult(dtype) is { Implicit: false } ? parse.GetValue(dtype) : null,
                    parse.GetValue(save), parse.GetValue(resume), parse.GetValue(clipGrad))
                {
                    Warmup = parse.GetValue(warmup), Checkpoint = parse.GetValue(checkpoint), CheckpointEvery = Given(checkpointEvery),
                    Record = parse.GetValue(record), Report = parse.GetValue(report),
                    CommandLine = "nabla " + string.Join(" ", parse.Tokens.Select(t => Quote(t.Value)).Where(t => t != "--resume")),
                }, stdout);
            }
            if (parse.GetResult(context) is { Implicit: false } || parse.GetResult(stepsPerEpoch) is { Implicit: false })
                throw new CliException("--context and --steps-per-epoch are for a --text run");
            string? description = LayersOption(parse.GetValue(layers));
            if (description is not null)
                foreach (var mlpOnly in new Option[] { hidden, activation })
                    if (parse.GetResult(mlpOnly) is { Implicit: false })
                        throw new CliException($"{mlpOnly.Name} is for an MLP; with --layers, describe every layer there (e.g. \"linear 16, relu, linear 2\")");
            var settings = new TrainSettings
            {
                Layers = description,
                Hidden = ParseSizes(parse.GetValue(hidden)!),
                Activation = TrainChoices.ParseActivation(parse.GetValue(activation)!),
                Loss = parse.GetValue(loss) is { } lossName ? TrainChoices.ParseLoss(lossName) : null,
                Optimizer = TrainChoices.ParseOptimizer(parse.GetValue(optimizer)!),
                LearningRate = parse.GetValue(lr),
                Momentum = parse.GetValue(momentum),
                WeightDecay = parse.GetValue(weightDecay),
                Schedule = TrainChoices.ParseSchedule(parse.GetValue(schedule)!),
                ClipGrad = parse.GetValue(clipGrad),
                Warmup = parse.GetValue(warmup),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                Seed = parse.GetValue(seed),
                Validation = parse.GetValue(validation),
                DType = TrainChoices.ParseDType(parse.GetValue(dtype)!),
                Task = parse.GetValue(task) switch
                {
                    null => null,
                    "classify" => TaskKind.Classification,
                    "regress" => TaskKind.Regression,
                    var other => throw new CliException($"--task: '{other}' is not one of classify, regress"),
                },
                EarlyStopping = parse.GetValue(earlyStopping),
            };
            var source = LoadData(new DataOptions(parse.GetValue(data), parse.GetValue(labels), parse.GetValue(image), parse.GetValue(target),
                parse.GetValue(features), parse.GetValue(dropMissing), parse.GetValue(dataset), parse.GetValue(samples), parse.GetValue(noise),
                DelimiterOption.Value(parse.GetValue(delimiter))), settings);
            string? savePath = parse.GetValue(save);
            var outputs = new TrainOutputs(savePath, parse.GetValue(checkpoint) ?? (savePath is null ? null : savePath + ".ckpt"),
                parse.GetValue(checkpointEvery), parse.GetValue(resume), parse.GetValue(plot), parse.GetValue(record),
                parse.GetValue(report), parse.GetValue(snapshots),
                "nabla " + string.Join(" ", parse.Tokens.Select(t => Quote(t.Value)).Where(t => t != "--resume")));
            if (outputs.Resume && outputs.Checkpoint is null) throw new CliException("--resume needs a checkpoint: give --checkpoint, or --save (whose path + .ckpt is the checkpoint)");
            return settings.DType switch
            {
                DTypeChoice.Float32 => TrainRun<float>.Run(source, settings, outputs, stdout, stderr, rank),
                DTypeChoice.Float64 => TrainRun<double>.Run(source, settings, outputs, stdout, stderr, rank),
                var other => throw new ArgumentOutOfRangeException(nameof(settings), other, "not a precision"),
            };
        }
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

    // The sizes only: OptionRules checked the text, and TrainSettings.Hidden holds the sizes to the same rule (a part
    // that is not a number becomes 0, which that rule refuses).
    private static int[] ParseSizes(string text) =>
        [.. text.Split(',').Select(p => int.TryParse(p.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0)];

    /// <summary>--layers as a description: the text itself, or the layers of a JSON file it names.</summary>
    private static string? LayersOption(string? value)
    {
        if (value is null) return null;
        bool json = value.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        if (!json) return value;
        if (!File.Exists(value)) throw new CliException($"--layers: there is no file {value}");
        try { return Nabla.Nn.Architecture.FromJson(File.ReadAllText(value), value); }
        catch (IOException e) { throw new CliException($"--layers: cannot read {value} ({e.Message})"); }
    }

    private sealed record DataOptions(string? Data, string? Labels, string? Image, string? Target, string? Features, bool DropMissing,
        string? Dataset, int Samples, double? Noise, char? Delimiter = null);

    private static LabeledTable LoadData(DataOptions o, TrainSettings settings)
    {
        if (o.Data is not null && o.Dataset is not null) throw new CliException("give either --data or --dataset, not both");
        if (o.Dataset is not null)
        {
            if (o.Image is not null || o.Labels is not null) throw new CliException($"--image and --labels are for --data; the {o.Dataset} dataset brings its own shape and labels");
            var set = LabeledTable.FromDataset(o.Dataset, o.Samples, o.Noise ?? LabeledTable.DefaultNoise(o.Dataset), settings.Seed);
            if (settings.Task is { } asked && asked != set.Task)
                throw new CliException($"--task {(asked == TaskKind.Classification ? "classify" : "regress")} does not fit the {o.Dataset} dataset, which is a {(set.Task == TaskKind.Classification ? "classification" : "regression")}; drop --task");
            return set;
        }
        if (o.Data is null) throw new CliException($"nothing to train on: give --data file.csv --target column, --data images-idx3-ubyte --labels labels-idx1-ubyte, or --dataset {string.Join("|", LabeledTable.DatasetNames)}");
        if (o.Labels is not null)
        {
            if (o.Target is not null || o.Features is not null || o.Image is not null)
                throw new CliException("--labels reads IDX files, whose images and labels need no --target, --features or --image");
            if (settings.Task == TaskKind.Regression) throw new CliException("--task regress does not fit IDX labels, which are classes; drop --task");
            return LabeledTable.FromIdx(o.Data, o.Labels);
        }
        if (Nabla.Data.IdxImages.LooksLikeIdx(o.Data)) throw new CliException($"--data {o.Data} is an IDX file (or gzip-compressed); give its labels with --labels");
        if (o.Target is null) throw new CliException("--data needs --target, the column to predict");
        try
        {
            var table = LabeledTable.FromCsv(o.Data, o.Target, Assignments.ParseNames(o.Features), settings.Task, o.DropMissing, o.Delimiter);
            return o.Image is null ? table : table.AsImages(Nabla.Data.ImageShape.Parse(o.Image));
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
    string ResumeCommand)
{
    /// <summary>Epochs between checkpoint writes, held to the rule of <c>--checkpoint-every</c>.</summary>
    public int CheckpointEvery { get; } = OptionRules.Require("--checkpoint-every", CheckpointEvery);
}
