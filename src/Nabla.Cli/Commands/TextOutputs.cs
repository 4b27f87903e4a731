using System.Globalization;
using System.Numerics;
using Nabla.Data;
using Nabla.Reports.Text;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary>
/// What a <c>nabla train --text</c> run writes besides the model: its checkpoint's identity (the settings a resume must
/// repeat), and with --record / --report the run's losses and a generated sample as JSON / an HTML page.
/// </summary>
internal static class TextOutputs
{
    /// <summary>The sample in the record and the report: 300 characters from the empty prompt, temperature 0.8, the run's seed.</summary>
    private const int SampleTokens = 300;
    private const double SampleTemperature = 0.8;

    /// <summary>Refuses bad output flags before anything is read or written, and makes the folders the outputs need.</summary>
    public static void Check(TextTrainOptions o)
    {
        if (o.Warmup is < 1) throw new CliException($"--warmup: expected a positive whole number of steps, not {o.Warmup}");
        if (o.CheckpointEvery is < 1) throw new CliException($"--checkpoint-every: expected a positive whole number, not {o.CheckpointEvery}");
        if (o.CheckpointEvery is not null && o.Checkpoint is null && o.Save is null)
            throw new CliException("--checkpoint-every needs somewhere to write: give --checkpoint, or --save (whose path + .ckpt is the checkpoint)");
        if (o.Save is { } save)
        {
            if (Directory.Exists(save)) throw new CliException($"--save: '{save}' is a directory");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(save))!);
        }
        if (o.Checkpoint is { } c) OutputPaths.Prepare("--checkpoint", c);
        if (o.Record is { } r) OutputPaths.Prepare("--record", r);
        if (o.Report is { } h) OutputPaths.Prepare("--report", h);
    }

    /// <summary>The description and context a checkpoint's model was built from.</summary>
    public static (string Architecture, int Context) ReadCheckpointModel(string path)
    {
        var metadata = SafetensorsFile.Load(path).Metadata;
        if (!metadata.TryGetValue("nabla.kind", out var kind) || kind != TextTrainer<float>.CheckpointKind
            || !metadata.TryGetValue("nabla.architecture", out var architecture) || !metadata.TryGetValue("nabla.context", out var text)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int context) || context < 1 || context > 1 << 16)
            throw new CliException($"--resume: {path} is not the checkpoint of a --text run");
        return (architecture, context);
    }

    /// <summary>
    /// Everything that decides the run's next step, as one line: a resume must repeat it (the epoch count may grow).
    /// The text is identified by its length, vocabulary and a 64-bit FNV-1a hash of its ids.
    /// </summary>
    public static string Fingerprint<T>(TextModel<T> model, CharCorpus corpus, TextTrainOptions o, TextTrainer<T> trainer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong hash = 14695981039346656037;
        foreach (int id in corpus.Ids) hash = (hash ^ (uint)id) * 1099511628211;
        string R(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "none";
        return $"\"{model.Architecture}\", context {model.Context}, {(typeof(T) == typeof(float) ? "float32" : "float64")}, {o.Optimizer} lr {R(o.LearningRate ?? 3e-3)} "
            + $"momentum {R(o.Momentum)} weight-decay {R(o.WeightDecay)}, batch {trainer.BatchSize}, {trainer.StepsPerEpoch} steps per epoch, seed {o.Seed}, "
            + $"validation {R(corpus.ValidationFraction)}, clip-grad {R(o.ClipGrad)}, warm-up {o.Warmup?.ToString(CultureInfo.InvariantCulture) ?? "none"}, "
            + $"text of {corpus.Length} characters, {corpus.Vocabulary.Size} distinct, FNV-1a {hash:x16}";
    }

    /// <summary>Writes --record and --report when given: the settings, every epoch's losses and a generated sample.</summary>
    public static void Write<T>(TextTrainOptions o, TextModel<T> model, TextTrainer<T> trainer, TextWriter stdout) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (o.Record is null && o.Report is null) return;
        // Its own generator, seeded with the run's seed, so the sample is reproducible with 'nabla generate'.
        string sample = Sampling.Generate(model, "", SampleTokens, SampleTemperature, null, new RandomState(o.Seed));
        long parameters = model.Network.Parameters().Sum(p => (long)p.ElementCount);
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        List<KeyValuePair<string, string>> settings =
        [
            new("architecture", model.Architecture),
            new("parameters", parameters.ToString(CultureInfo.InvariantCulture)),
            new("text", o.Text),
            new("vocabulary", model.Vocabulary.Size.ToString(CultureInfo.InvariantCulture)),
            new("context", model.Context.ToString(CultureInfo.InvariantCulture)),
            new("optimizer", o.Optimizer),
            new("lr", F(o.LearningRate ?? 3e-3)),
            new("batch", trainer.BatchSize.ToString(CultureInfo.InvariantCulture)),
            new("steps per epoch", trainer.StepsPerEpoch.ToString(CultureInfo.InvariantCulture)),
            new("epochs", (o.Epochs ?? 10).ToString(CultureInfo.InvariantCulture)),
            new("warm-up steps", o.Warmup?.ToString(CultureInfo.InvariantCulture) ?? "none"),
            new("clip-grad", o.ClipGrad is { } c ? F(c) : "none"),
            new("dtype", typeof(T) == typeof(float) ? "float32" : "float64"),
            new("seed", o.Seed.ToString(CultureInfo.InvariantCulture)),
        ];
        var run = new TextRun(o.CommandLine, settings, trainer.History, sample,
            $"{SampleTokens} characters from the empty prompt, temperature {F(SampleTemperature)}, seed {o.Seed}: nabla generate --model <model> --tokens {SampleTokens} --seed {o.Seed}");
        if (o.Record is { } record)
        {
            OutputPaths.Write("--record", record, () => Nabla.IO.AtomicFile.WriteAllText(record, run.ToJson()));
            stdout.WriteLine($"wrote run record {record}");
        }
        if (o.Report is { } report)
        {
            OutputPaths.Write("--report", report, () => Nabla.IO.AtomicFile.WriteAllText(report, TextReport.Render(run)));
            stdout.WriteLine($"wrote report {report}");
        }
    }
}
