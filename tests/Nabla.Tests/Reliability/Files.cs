using Nabla.Cli.Commands;
using Nabla.Serialization;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Tests.Reliability;

/// <summary>Small valid files made by the code under test's own writers, to be damaged one field at a time.</summary>
internal static class Files
{
    private static readonly Lazy<(byte[] Model, byte[] Checkpoint, TrainSettings Settings)> Trained = new(() =>
    {
        var settings = new TrainSettings { Epochs = 2, Hidden = [3] };
        var setup = new TrainSetup<double>(Moons(), settings);
        var trainer = setup.Trainer;
        while (!trainer.IsFinished) trainer.RunEpoch();
        var dir = Directory.CreateTempSubdirectory("nabla-rel-").FullName;
        try
        {
            ModelFile.Save(Path.Combine(dir, "m.safetensors"), setup.Model);
            trainer.SaveCheckpoint(Path.Combine(dir, "m.ckpt"));
            return (File.ReadAllBytes(Path.Combine(dir, "m.safetensors")), File.ReadAllBytes(Path.Combine(dir, "m.ckpt")), settings);
        }
        finally { Directory.Delete(dir, recursive: true); }
    });

    public static LabeledTable Moons() => LabeledTable.FromDataset("moons", 40, 0.1, 0);

    /// <summary>A moons classifier (2 → 3 → 1, bce) as saved by <see cref="ModelFile.Save{T}"/>.</summary>
    public static byte[] Model => Trained.Value.Model;

    /// <summary>A checkpoint of that run after its 2 epochs, and the settings that resume it.</summary>
    public static byte[] Checkpoint => Trained.Value.Checkpoint;

    public static TrainSettings Settings => Trained.Value.Settings;

    /// <summary>A fresh trainer of the same run, to resume <see cref="Checkpoint"/> into.</summary>
    public static Trainer<double> NewTrainer() => new TrainSetup<double>(Moons(), Settings).Trainer;

    /// <summary><paramref name="file"/> with some metadata entries replaced (null removes one) and tensors optionally replaced.</summary>
    public static byte[] Edit(byte[] file, IReadOnlyDictionary<string, string?> metadata, Func<SafeTensor, SafeTensor>? tensor = null)
    {
        var parsed = SafetensorsFile.Parse(file, "original");
        var meta = parsed.Metadata.ToDictionary();
        foreach (var (key, value) in metadata)
        {
            if (value is null) meta.Remove(key);
            else meta[key] = value;
        }
        var tensors = parsed.Names.Select(n => parsed.Tensors[n]).Select(tensor ?? (t => t));
        return SafetensorsFile.Serialize(tensors, meta);
    }
}
