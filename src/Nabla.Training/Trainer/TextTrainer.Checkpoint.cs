using System.Globalization;
using System.Text.Json;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Records;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Training;

// A text run's checkpoint, written between epochs: one safetensors file of the model's state dict ("model.*") and the
// optimizer's buffers ("optim.*"); in the metadata the epochs done with their losses, the optimizer's step and groups,
// the scheduler's state, the generator's state and the caller's fingerprint of the run. Restoring all of it makes the
// rest of the run bit-identical to one never interrupted: the next batch offsets, dropout masks and updates are the same.
public sealed partial class TextTrainer<T>
{
    /// <summary>The <c>nabla.kind</c> of a text run's checkpoint.</summary>
    public const string CheckpointKind = "text-checkpoint";

    /// <summary>
    /// Writes everything needed to continue this run to <paramref name="path"/>, atomically, with
    /// <paramref name="metadata"/> (the caller's description of the run; <c>nabla.settings</c> is compared on loading).
    /// </summary>
    public void SaveCheckpoint(string path, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var optimizer = Optimizer.State();
        var tensors = Prefixed("model.", Model.Network.StateDict()).Concat(Prefixed("optim.", optimizer.Buffers)).ToList();
        var meta = new Dictionary<string, string>(metadata)
        {
            ["nabla.kind"] = CheckpointKind,
            ["nabla.epoch"] = CompletedEpochs.ToString(CultureInfo.InvariantCulture),
            ["nabla.optimizer_step"] = optimizer.Step.ToString(CultureInfo.InvariantCulture),
            ["nabla.optimizer_groups"] = Optimizer<T>.GroupsToText(optimizer.Groups!),
            ["nabla.rng"] = rng.GetState().ToString(),
            ["nabla.history"] = string.Join(";", history.Select(e => $"{R(e.Loss)},{(e.ValidationLoss is { } v ? R(v) : "")}")),
        };
        if (Scheduler is not null)
            meta["nabla.scheduler"] = JsonSerializer.Serialize(Scheduler.State().ToDictionary(kv => kv.Key, kv => R(kv.Value)), NablaJsonContext.Default.DictionaryStringString);
        SafetensorsFile.Save(path, tensors, meta);
    }

    /// <summary>
    /// Continues from a checkpoint <see cref="SaveCheckpoint"/> wrote for a run whose <c>nabla.settings</c> was
    /// <paramref name="settings"/>: weights, optimizer state, scheduler, generator and history. Refused, naming the file:
    /// not a text checkpoint, other settings (both shown), damaged metadata or tensors.
    /// </summary>
    public void LoadCheckpoint(string path, string settings)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = SafetensorsFile.Load(path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v) ? v
            : throw new NablaException($"{path}: not a text run's checkpoint (no \"{key}\" in its metadata)");
        if (Meta("nabla.kind") != CheckpointKind) throw new NablaException($"{path}: a {Meta("nabla.kind")} file, not a text run's checkpoint");
        if (Meta("nabla.settings") != settings)
            throw new NablaException($"{path}: the checkpoint was written by a run with other settings or text, so resuming would not continue it\n  checkpoint: {Meta("nabla.settings")}\n  this run:   {settings}");
        if (!int.TryParse(Meta("nabla.epoch"), NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
            throw new NablaException($"{path}: bad epoch \"{Meta("nabla.epoch")}\"");
        if (!long.TryParse(Meta("nabla.optimizer_step"), NumberStyles.None, CultureInfo.InvariantCulture, out long step))
            throw new NablaException($"{path}: bad optimizer step \"{Meta("nabla.optimizer_step")}\"");
        List<TextEpoch> epochs = Meta("nabla.history").Length == 0 ? [] : Meta("nabla.history").Split(';').Select((e, i) => Epoch(path, i + 1, e)).ToList();
        if (epochs.Count != epoch) throw new NablaException($"{path}: {epochs.Count} epochs of losses for epoch {epoch}");
        RandomStateSnapshot state;
        try { state = RandomStateSnapshot.Parse(Meta("nabla.rng")); }
        catch (NablaException e) { throw new NablaException($"{path}: the generator state is damaged ({e.Message})", e); }
        var groups = Optimizer<T>.GroupsFromText(Meta("nabla.optimizer_groups"), path);
        var tensors = StateDicts.FromSafeTensors<T>(file.Names.Select(n => file.Tensors[n])).ToList();
        try
        {
            Model.Network.LoadStateDict(Section(tensors, "model."));
            Optimizer.LoadState(new OptimizerState<T>(step, Section(tensors, "optim."), groups));
            if (Scheduler is not null) Scheduler.LoadState(SchedulerState(path, Meta("nabla.scheduler")));
        }
        catch (NablaException e) { throw new NablaException($"{path}: {e.Message}", e); }
        rng.SetState(state);
        CompletedEpochs = epoch;
        history.Clear();
        history.AddRange(epochs);
    }

    private static TextEpoch Epoch(string path, int epoch, string text)
    {
        var parts = text.Split(',');
        double? Number(string s) => s.Length == 0 ? null
            : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new NablaException($"{path}: bad loss \"{s}\" in the history of epoch {epoch}");
        if (parts.Length != 2 || Number(parts[0]) is not { } loss) throw new NablaException($"{path}: bad history entry \"{text}\" for epoch {epoch}");
        return new TextEpoch(epoch, loss, Number(parts[1]));
    }

    private static Dictionary<string, double> SchedulerState(string path, string json)
    {
        Dictionary<string, string>? raw;
        try { raw = JsonSerializer.Deserialize(json, NablaJsonContext.Default.DictionaryStringString); }
        catch (JsonException e) { throw new NablaException($"{path}: the scheduler's state is not valid JSON ({e.Message})"); }
        return (raw ?? []).ToDictionary(kv => kv.Key, kv => double.TryParse(kv.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new NablaException($"{path}: the scheduler's \"{kv.Key}\" is \"{kv.Value}\", not a number"));
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static IEnumerable<SafeTensor> Prefixed(string prefix, IEnumerable<KeyValuePair<string, Tensor<T>>> tensors) =>
        StateDicts.ToSafeTensors(tensors.Select(kv => KeyValuePair.Create(prefix + kv.Key, kv.Value)));

    private static Dictionary<string, Tensor<T>> Section(IEnumerable<KeyValuePair<string, Tensor<T>>> all, string prefix) =>
        all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
}
