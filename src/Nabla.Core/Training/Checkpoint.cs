using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Reports;
using Nabla.Rng;
using Nabla.Serialization;

namespace Nabla.Training;

// A checkpoint is one safetensors file: the weights ("model.*"), the optimizer's buffers ("optim.*"),
// and in the metadata the epoch, the optimizer step, the generator's state, the metrics so far and a
// fingerprint of the settings. Written atomically, so a run killed at any moment leaves either the
// previous checkpoint or the new one.
public sealed partial class Trainer<T>
{
    private const string Kind = "nabla.kind", KindCheckpoint = "checkpoint";

    /// <summary>Writes everything needed to continue this run to <paramref name="path"/>, atomically.</summary>
    public void SaveCheckpoint(string path)
    {
        var optimizer = Optimizer.State();
        var tensors = StateDicts.ToSafeTensors(Model.StateDict().Select(kv => KeyValuePair.Create("model." + kv.Key, kv.Value)))
            .Concat(StateDicts.ToSafeTensors(optimizer.Buffers.Select(kv => KeyValuePair.Create("optim." + kv.Key, kv.Value))));
        var metadata = new Dictionary<string, string>
        {
            [Kind] = KindCheckpoint,
            ["nabla.epoch"] = CompletedEpochs.ToString(CultureInfo.InvariantCulture),
            ["nabla.optimizer_step"] = optimizer.Step.ToString(CultureInfo.InvariantCulture),
            ["nabla.rng"] = _rng.GetState().ToString(),
            ["nabla.settings"] = Settings.Fingerprint(Data),
            ["nabla.history"] = JsonSerializer.Serialize(_history, RunRecord.JsonOptions),
        };
        SafetensorsFile.Save(path, tensors, metadata);
    }

    /// <summary>
    /// Continues from a checkpoint written by a run with the same settings on the same data: the weights,
    /// optimizer state, generator state, epoch count and metrics are restored, so the rest of the run is
    /// bit-identical to one that was never interrupted.
    /// </summary>
    public void LoadCheckpoint(string path)
    {
        var file = SafetensorsFile.Load(path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v) ? v
            : throw new NablaException($"{path}: not a Nabla checkpoint (no \"{key}\" in its metadata)");
        if (Meta(Kind) != KindCheckpoint) throw new NablaException($"{path}: a {Meta(Kind)} file, not a checkpoint");
        string expected = Settings.Fingerprint(Data), found = Meta("nabla.settings");
        if (found != expected)
            throw new NablaException($"{path}: the checkpoint was written by a run with other settings or data, so resuming would not continue it\n  checkpoint: {found}\n  this run:   {expected}");
        if (!int.TryParse(Meta("nabla.epoch"), CultureInfo.InvariantCulture, out int epoch) || epoch < 0 || epoch > Settings.Epochs)
            throw new NablaException($"{path}: bad epoch \"{Meta("nabla.epoch")}\"");
        if (!long.TryParse(Meta("nabla.optimizer_step"), CultureInfo.InvariantCulture, out long step))
            throw new NablaException($"{path}: bad optimizer step \"{Meta("nabla.optimizer_step")}\"");
        List<EpochMetrics> history;
        JsonStrings.Validate(Meta("nabla.history"), path, "metadata \"nabla.history\"");
        try { history = JsonSerializer.Deserialize<List<EpochMetrics>>(Meta("nabla.history"), RunRecord.JsonOptions) ?? []; }
        catch (JsonException e) { throw new NablaException($"{path}: the metrics history is not valid JSON ({e.Message})"); }
        if (history.IndexOf(null!) is var nullAt and >= 0) throw new NablaException($"{path}: the metrics history entry for epoch {nullAt + 1} is null");
        if (history.Count != epoch) throw new NablaException($"{path}: {history.Count} epochs of metrics for epoch {epoch}");

        var tensors = StateDicts.FromSafeTensors<T>(file.Names.Select(n => file.Tensors[n]));
        try
        {
            Model.LoadStateDict(Section(tensors, "model."));
            Optimizer.LoadState(new OptimizerState<T>(step, Section(tensors, "optim.")));
        }
        catch (NablaException e) { throw new NablaException($"{path}: {e.Message}", e); }
        RandomStateSnapshot rng;
        try { rng = RandomStateSnapshot.Parse(Meta("nabla.rng")); }
        catch (NablaException e) { throw new NablaException($"{path}: the generator state is damaged ({e.Message})", e); }
        _rng.SetState(rng);
        CompletedEpochs = epoch;
        _history.Clear();
        _history.AddRange(history);
    }

    private static Dictionary<string, Tensors.Tensor<T>> Section(IEnumerable<KeyValuePair<string, Tensors.Tensor<T>>> all, string prefix) =>
        all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
}
