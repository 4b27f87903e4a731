using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Training.Callbacks;

namespace Nabla.Training;

// A checkpoint is one safetensors file: the model's state dict ("model.*"), the optimizer's buffers ("optim.*"),
// the state of callbacks that keep some ("<key>.*", e.g. the best weights), and in the metadata the epoch, the
// place inside an unfinished epoch, the optimizer step and groups, the scheduler's state, the generator's state, the
// metrics so far and a fingerprint of the run. Written atomically, so a run killed at any moment leaves either the previous checkpoint or the new one.
public sealed partial class Trainer<T>
{
    private const string Kind = "nabla.kind", KindCheckpoint = "checkpoint";

    /// <summary>
    /// A text that names everything that decides this run: the model's structure and parameter shapes, the optimizer,
    /// loss, schedule (and scheduler and gradient clipping, when used), epochs, batch size, the data's fingerprint and
    /// the caller's <see cref="TrainerOptions.RunIdentity"/>.
    /// </summary>
    public string Fingerprint()
    {
        var fingerprint = new Dictionary<string, string>
        {
            ["model"] = $"{Model} " + string.Join(" ", Model.NamedParameters().Select(kv => $"{kv.Key}({string.Join(",", kv.Value.Shape)})")),
            ["optimizer"] = Optimizer.GetType().Name.Split('`')[0],
            ["loss"] = Loss.Name,
            ["schedule"] = Schedule?.GetType().Name ?? nameof(ConstantSchedule),   // the name a run without one always had
            ["epochs"] = Options.Epochs.ToString(CultureInfo.InvariantCulture),
            ["batchSize"] = Options.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["data"] = Data.Fingerprint,
            ["run"] = Options.RunIdentity ?? "",
        };
        AddSchedulingTo(fingerprint);
        return JsonSerializer.Serialize(fingerprint, NablaJsonContext.Default.DictionaryStringString);
    }

    /// <summary>Writes everything needed to continue this run to <paramref name="path"/>, atomically.</summary>
    public void SaveCheckpoint(string path)
    {
        var optimizer = Optimizer.State();
        var tensors = Prefixed("model.", Model.StateDict()).Concat(Prefixed("optim.", optimizer.Buffers));
        var metadata = new Dictionary<string, string>
        {
            [Kind] = KindCheckpoint,
            ["nabla.epoch"] = CompletedEpochs.ToString(CultureInfo.InvariantCulture),
            ["nabla.batch"] = _batchesDone.ToString(CultureInfo.InvariantCulture),
            ["nabla.optimizer_step"] = optimizer.Step.ToString(CultureInfo.InvariantCulture),
            // Inside an epoch, the state before its shuffle: a resume shuffles again and skips the batches done.
            ["nabla.rng"] = (_epochStart ?? _rng.GetState()).ToString(),
            ["nabla.settings"] = Fingerprint(),
            ["nabla.history"] = JsonSerializer.Serialize(_history, NablaJsonContext.Default.ListEpochMetrics),
            ["nabla.initial_loss"] = InitialLoss.ToString("R", CultureInfo.InvariantCulture),
        };
        if (IsMidEpoch)
        {
            metadata["nabla.epoch_loss_sum"] = _lossSum.ToString("R", CultureInfo.InvariantCulture);
            metadata["nabla.epoch_correct"] = _correct.ToString(CultureInfo.InvariantCulture);
        }
        if (StopReason is not null) metadata["nabla.stopped"] = StopReason;
        SaveScheduling(metadata, optimizer);
        foreach (var callback in _callbacks.OfType<ICheckpointedCallback<T>>())
        {
            var (state, text) = callback.SaveState();
            tensors = tensors.Concat(Prefixed($"{callback.Key}.", state));
            metadata[$"nabla.callback.{callback.Key}"] = text;
        }
        SafetensorsFile.Save(path, tensors.ToList(), metadata);
    }

    /// <summary>
    /// Continues from a checkpoint written by a run with the same fingerprint (<see cref="Fingerprint"/>): the weights,
    /// optimizer state, generator state, epoch and place in it, metrics and callback states are restored, so the rest
    /// of the run is bit-identical to one that was never interrupted.
    /// </summary>
    public void LoadCheckpoint(string path) => LoadCheckpoint(SafetensorsFile.Load(path), path);

    /// <summary>As <see cref="LoadCheckpoint(string)"/>, from a checkpoint already read (and validated) as <paramref name="file"/>.</summary>
    public void LoadCheckpoint(SafetensorsFile file, string path)
    {
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v) ? v
            : throw new NablaException($"{path}: not a Nabla checkpoint (no \"{key}\" in its metadata)");
        if (Meta(Kind) != KindCheckpoint) throw new NablaException($"{path}: a {Meta(Kind)} file, not a checkpoint");
        string expected = Fingerprint(), found = Meta("nabla.settings");
        if (found != expected)
            throw new NablaException($"{path}: the checkpoint was written by a run with other settings or data, so resuming would not continue it\n  checkpoint: {found}\n  this run:   {expected}");
        int epoch = Whole(path, "epoch", Meta("nabla.epoch"), Options.Epochs);
        int batch = file.Metadata.TryGetValue("nabla.batch", out var b) ? Whole(path, "batch", b, Batches(Data.TrainingRows)) : 0;
        if (batch > 0 && epoch >= Options.Epochs) throw new NablaException($"{path}: batch {batch} of an epoch after the last one");
        if (!long.TryParse(Meta("nabla.optimizer_step"), NumberStyles.None, CultureInfo.InvariantCulture, out long step))
            throw new NablaException($"{path}: bad optimizer step \"{Meta("nabla.optimizer_step")}\"");
        List<EpochMetrics> history;
        JsonStrings.Validate(Meta("nabla.history"), path, "metadata \"nabla.history\"");
        try { history = JsonSerializer.Deserialize(Meta("nabla.history"), NablaJsonContext.Default.ListEpochMetrics) ?? []; }
        catch (JsonException e) { throw new NablaException($"{path}: the metrics history is not valid JSON ({e.Message})"); }
        if (history.IndexOf(null!) is var nullAt and >= 0) throw new NablaException($"{path}: the metrics history entry for epoch {nullAt + 1} is null");
        if (history.Count != epoch) throw new NablaException($"{path}: {history.Count} epochs of metrics for epoch {epoch}");
        double initialLoss = file.Metadata.TryGetValue("nabla.initial_loss", out var il) ? Number(path, "initial loss", il) : double.NaN;
        double lossSum = batch > 0 ? Number(path, "epoch loss sum", Meta("nabla.epoch_loss_sum")) : 0;
        int correct = batch > 0 ? Whole(path, "epoch correct count", Meta("nabla.epoch_correct"), int.MaxValue) : 0;
        RandomStateSnapshot rng;
        try { rng = RandomStateSnapshot.Parse(Meta("nabla.rng")); }
        catch (NablaException e) { throw new NablaException($"{path}: the generator state is damaged ({e.Message})", e); }

        var (groups, scheduler) = ReadScheduling(file.Metadata, path);

        var tensors = StateDicts.FromSafeTensors<T>(file.Names.Select(n => file.Tensors[n]));
        try
        {
            Model.LoadStateDict(Section(tensors, "model."));
            Optimizer.LoadState(new OptimizerState<T>(step, Section(tensors, "optim."), groups));
            if (scheduler is not null) Scheduler!.LoadState(scheduler);
            foreach (var callback in _callbacks.OfType<ICheckpointedCallback<T>>())
                callback.LoadState(Section(tensors, $"{callback.Key}."),
                    file.Metadata.TryGetValue($"nabla.callback.{callback.Key}", out var text) ? text : "0");
        }
        catch (NablaException e) { throw new NablaException($"{path}: {e.Message}", e); }
        _rng.SetState(rng);
        CompletedEpochs = epoch;
        InitialLoss = initialLoss;
        StopReason = file.Metadata.GetValueOrDefault("nabla.stopped");
        _history.Clear();
        _history.AddRange(history);
        _order = null;
        _epochStart = null;
        if (batch > 0)
        {
            StartEpoch();
            (_batchesDone, _lossSum, _correct) = (batch, lossSum, correct);
        }
    }

    /// <summary>How many batches have run in the unfinished epoch (0 between epochs).</summary>
    public int BatchesDoneInEpoch => _batchesDone;

    private int Batches(int rows) => Nabla.Data.Batches.Count(rows, Options.BatchSize);

    private static IEnumerable<SafeTensor> Prefixed(string prefix, IEnumerable<KeyValuePair<string, Tensor<T>>> tensors) =>
        StateDicts.ToSafeTensors(tensors.Select(kv => KeyValuePair.Create(prefix + kv.Key, kv.Value)));

    private static Dictionary<string, Tensor<T>> Section(IEnumerable<KeyValuePair<string, Tensor<T>>> all, string prefix) =>
        all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    private static int Whole(string path, string what, string text, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= max ? v
            : throw new NablaException($"{path}: bad {what} \"{text}\" (expected a whole number from 0 to {max})");

    private static double Number(string path, string what, string text) =>
        double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double v) ? v
            : throw new NablaException($"{path}: bad {what} \"{text}\"");
}
