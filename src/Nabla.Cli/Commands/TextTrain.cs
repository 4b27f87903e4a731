using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Nabla.Data;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary>What <c>nabla train --text</c> was given; null where a flag was left at its default.</summary>
internal sealed record TextTrainOptions(string Text, int? Context, int? StepsPerEpoch, string? Layers, string Optimizer, double? LearningRate,
    double Momentum, double WeightDecay, int? Epochs, int? BatchSize, uint Seed, double? Validation, string? DType, string? Save, bool Resume, double? ClipGrad)
{
    /// <summary>--warmup: steps over which the rate climbs linearly from lr/N to lr (PyTorch's LinearLR), or null.</summary>
    public int? Warmup { get; init; }

    /// <summary>--checkpoint: where the run's checkpoint goes, or null (then save + ".ckpt" when --checkpoint-every is given).</summary>
    public string? Checkpoint { get; init; }

    /// <summary>--checkpoint-every: epochs between checkpoints, or null.</summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>--record: the run as JSON, or null.</summary>
    public string? Record { get; init; }

    /// <summary>--report: the run as an HTML page, or null.</summary>
    public string? Report { get; init; }

    /// <summary>The command line, for the record and the report.</summary>
    public string CommandLine { get; init; } = "nabla train";
}

/// <summary>
/// <c>nabla train --text corpus.txt</c>: a character-level language model. The first ⌊(1 − validation)·n⌋ characters
/// train (default validation 0.1, nanoGPT's 90/10 split), the rest are held out. An epoch is --steps-per-epoch optimizer
/// steps, each on --batch-size windows of --context characters drawn at random offsets from the seeded generator; each
/// epoch prints the training and validation loss and perplexity (e^loss). With --checkpoint (or --checkpoint-every), the
/// run writes a checkpoint between epochs, and --resume continues from it bit-exactly (weights, optimizer, warm-up,
/// generator, losses so far); without one, --resume continues the model at the --save path with a fresh optimizer.
/// --warmup N raises the rate linearly from lr/N to lr over the first N steps. --record and --report write the run
/// (losses, perplexities, a generated sample) as JSON and as an HTML page.
/// </summary>
internal static class TextTrain
{
    /// <summary>The network when --layers is absent: a one-layer character LSTM of 128 (about 100 000 parameters for 60 characters).</summary>
    public const string DefaultLayers = "embedding 64, lstm 128, linear";

    public static int Run(TextTrainOptions o, TextWriter stdout) =>
        (o.DType ?? "float32") == "float32" ? Run<float>(o, stdout) : Run<double>(o, stdout);

    private static int Run<T>(TextTrainOptions o, TextWriter stdout) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TextOutputs.Check(o);
        using var claim = OutputClaim.Of(o.Save);
        var corpus = CharCorpus.Load(o.Text, o.Validation ?? 0.1);
        var rng = new RandomState(o.Seed);
        string? checkpoint = o.Checkpoint ?? (o.CheckpointEvery is not null ? o.Save + ".ckpt" : null);
        bool exact = o.Resume && checkpoint is not null;
        TextModel<T> model;
        if (exact)
        {
            if (!File.Exists(checkpoint)) throw new CliException($"--resume: there is no checkpoint at {checkpoint} to continue");
            var (architecture, context) = TextOutputs.ReadCheckpointModel(checkpoint!);
            model = TextModel<T>.Create(o.Layers ?? architecture, corpus.Vocabulary, o.Context ?? context, rng);
        }
        else if (o.Resume)
        {
            if (o.Save is null) throw new CliException("--resume with --text continues the model at the --save path; give --save");
            if (!File.Exists(o.Save)) throw new CliException($"--resume: there is no model at {o.Save} to continue");
            model = TextModel<T>.Load(o.Save);
            if (o.Layers is not null && o.Layers != model.Architecture)
                throw new CliException($"--resume: --layers \"{o.Layers}\" differs from the model's \"{model.Architecture}\"; drop --layers");
            if (o.Context is { } c && c != model.Context)
                throw new CliException($"--resume: --context {c} differs from the model's {model.Context}; drop --context");
            if (FirstUnknown(corpus, model.Vocabulary) is { } missing) throw new CliException($"--resume: {o.Text} {missing}, which the model's vocabulary lacks");
            if (corpus.Vocabulary.Size != model.Vocabulary.Size)
                throw new CliException($"--resume: {o.Text} has {corpus.Vocabulary.Size} distinct characters, the model's vocabulary {model.Vocabulary.Size}; continue on a text with exactly the model's characters (the one it was trained on)");
            model.Network.Train();
        }
        else
        {
            int context = o.Context ?? 64;
            if (context < 1 || context > 1 << 16) throw new CliException($"--context: expected a whole number from 1 to {1 << 16}, not {context}");
            model = TextModel<T>.Create(o.Layers ?? DefaultLayers, corpus.Vocabulary, context, rng);
        }
        if (o.StepsPerEpoch is < 1) throw new CliException($"--steps-per-epoch: expected a positive whole number, not {o.StepsPerEpoch}");
        var optimizer = Optimizer(model, o);
        if (o.ClipGrad is { } clip && !(clip > 0 && double.IsFinite(clip))) throw new CliException($"--clip-grad: expected a positive number, not {clip}");
        var trainer = new TextTrainer<T>(model, corpus, optimizer, rng, o.BatchSize ?? 16, o.StepsPerEpoch ?? 100)
        {
            ClipGradNorm = o.ClipGrad,
            // PyTorch's LinearLR from 1/N to 1 over N steps, stepped per batch, as the tabular --warmup.
            Scheduler = o.Warmup is { } w ? new LambdaLR(optimizer, s => TrainSetup<T>.WarmupFactor(s, w)) : null,
        };
        int epochs = o.Epochs ?? 10;
        string settings = TextOutputs.Fingerprint(model, corpus, o, trainer);
        if (exact)
        {
            trainer.LoadCheckpoint(checkpoint!, settings);
            stdout.WriteLine($"resuming from {checkpoint} after epoch {trainer.CompletedEpochs}");
        }
        long parameters = model.Network.Parameters().Sum(p => (long)p.ElementCount);
        stdout.WriteLine($"Training \"{model.Architecture}\" ({parameters:N0} parameters), {o.Optimizer} lr {F(o.LearningRate ?? 3e-3)}, batch {trainer.BatchSize}, " +
            $"{trainer.StepsPerEpoch} steps per epoch, {epochs} epochs,{(o.Warmup is { } wu ? $" warm-up {wu} steps," : "")}{(o.ClipGrad is { } g ? $" clip-grad {F(g)}," : "")} {(typeof(T) == typeof(float) ? "float32" : "float64")}, seed {o.Seed}");
        stdout.WriteLine($"on {o.Text}: {corpus.Vocabulary.Size} distinct characters, {corpus.TrainingLength:N0} training and {corpus.ValidationLength:N0} validation characters, context {model.Context}");
        var clock = Stopwatch.StartNew();
        var checkpointMetadata = new Dictionary<string, string>
        {
            ["nabla.settings"] = settings,
            ["nabla.architecture"] = model.Architecture,
            ["nabla.context"] = model.Context.ToString(CultureInfo.InvariantCulture),
        };
        while (trainer.CompletedEpochs < epochs)
        {
            var epoch = trainer.RunEpoch();
            if (!double.IsFinite(epoch.Loss)) throw new CliException($"the loss diverged ({epoch.Loss}) in epoch {epoch.Epoch} (try a smaller --lr)", TrainRun<T>.Diverged);
            stdout.WriteLine(Line(epoch, epochs));
            if (checkpoint is not null && (epoch.Epoch % (o.CheckpointEvery ?? 10) == 0 || epoch.Epoch == epochs))
                OutputPaths.Write("--checkpoint", checkpoint, () => trainer.SaveCheckpoint(checkpoint, checkpointMetadata));
        }
        clock.Stop();
        stdout.WriteLine($"trained in {clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        if (o.Save is { } path)
        {
            model.Save(path);
            stdout.WriteLine($"wrote model {path}");
        }
        TextOutputs.Write(o, model, trainer, stdout);
        return 0;
    }

    private static string? FirstUnknown(CharCorpus corpus, CharVocabulary vocabulary)
    {
        for (int id = 0; id < corpus.Vocabulary.Size; id++)
        {
            string c = corpus.Vocabulary[id];
            try { vocabulary.Encode(c); }
            catch (NablaException) { return $"holds the character {Describe(c)}"; }
        }
        return null;
    }

    /// <summary>A character as messages show it: quoted when printable, by code point always.</summary>
    internal static string Describe(string character)
    {
        int code = char.ConvertToUtf32(character, 0);
        return char.IsControl(character, 0) || char.IsWhiteSpace(character, 0)
            ? $"U+{code:X4}" : $"'{character}' (U+{code:X4})";
    }

    private static Optimizer<T> Optimizer<T>(TextModel<T> model, TextTrainOptions o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameters = model.Network.Parameters();
        double lr = o.LearningRate ?? 3e-3;
        return o.Optimizer switch
        {
            "sgd" => new Sgd<T>(parameters, lr, o.Momentum, weightDecay: o.WeightDecay),
            "adamw" => new AdamW<T>(parameters, lr, weightDecay: o.WeightDecay),
            "adam" => new Adam<T>(parameters, lr, weightDecay: o.WeightDecay),
            _ => throw new CliException($"--optimizer: '{o.Optimizer}' is not one of {string.Join(", ", TrainSettings.Optimizers)}"),
        };
    }

    internal static string Line(TextEpoch m, int epochs)
    {
        string width = new(' ', epochs.ToString(CultureInfo.InvariantCulture).Length - m.Epoch.ToString(CultureInfo.InvariantCulture).Length);
        string line = $"epoch {width}{m.Epoch}/{epochs}  loss {F4(m.Loss)}  ppl {F2(m.Perplexity)}";
        if (m.ValidationLoss is { } v) line += $"  val loss {F4(v)}  val ppl {F2(m.ValidationPerplexity!.Value)}";
        return line;
    }

    private static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
    private static string F2(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
    private static string F4(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
