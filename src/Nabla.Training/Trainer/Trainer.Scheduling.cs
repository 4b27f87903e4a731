using System.Globalization;
using System.Text.Json;
using Nabla.Optim;

namespace Nabla.Training;

// The learning-rate scheduler and gradient clipping of a run: built once from the options, stepped per epoch or per
// batch, its state kept in checkpoints beside the optimizer's groups.
public sealed partial class Trainer<T>
{
    /// <summary>The scheduler built by <see cref="TrainerOptions.Scheduler"/>, or null.</summary>
    public LearningRateScheduler? Scheduler { get; }

    private LearningRateScheduler? BuildScheduler()
    {
        if (Options.Scheduler is not { } factory) return null;
        if (Schedule is not null) throw new NablaException("give the trainer either a schedule or TrainerOptions.Scheduler, not both");
        var scheduler = factory(Optimizer) ?? throw new NablaException("TrainerOptions.Scheduler returned null");
        if (!ReferenceEquals(scheduler.Optimizer, Optimizer))
            throw new NablaException($"TrainerOptions.Scheduler built a {scheduler.GetType().Name} on another optimizer than the trainer's; build it on the optimizer it is given");
        if (scheduler is ReduceLROnPlateau && Options.SchedulerStep == SchedulerInterval.Batch)
            throw new NablaException("ReduceLROnPlateau needs an epoch's metric, so it steps per epoch; use SchedulerInterval.Epoch");
        if (scheduler is not (LRScheduler or ReduceLROnPlateau))
            throw new NablaException($"the trainer cannot step a {scheduler.GetType().Name}: it steps an LRScheduler or ReduceLROnPlateau");
        return scheduler;
    }

    // Clip (when asked), step the optimizer, then a per-batch scheduler.
    private void StepOptimizer()
    {
        if (Options.ClipGradNorm is { } maxNorm) GradClip.ClipGradNorm(Optimizer.Parameters, maxNorm);
        Optimizer.Step();
        if (Options.SchedulerStep == SchedulerInterval.Batch && Scheduler is LRScheduler s) s.Step();
    }

    private void StepSchedulerAfterEpoch(EpochMetrics metrics)
    {
        if (Options.SchedulerStep != SchedulerInterval.Epoch) return;
        if (Scheduler is ReduceLROnPlateau plateau) plateau.Step(metrics.ValidationLoss ?? metrics.Loss);
        else if (Scheduler is LRScheduler s) s.Step();
    }

    // What the fingerprint adds for the scheduler and clipping (nothing when neither is used, so older checkpoints match).
    private void AddSchedulingTo(Dictionary<string, string> fingerprint)
    {
        if (Scheduler is not null) fingerprint["scheduler"] = $"{Scheduler.GetType().Name} per {Options.SchedulerStep.ToString().ToLowerInvariant()}";
        if (Options.ClipGradNorm is { } clip) fingerprint["clipGradNorm"] = clip.ToString("R", CultureInfo.InvariantCulture);
    }

    private void SaveScheduling(Dictionary<string, string> metadata, OptimizerState<T> optimizer)
    {
        metadata["nabla.optimizer_groups"] = Optimizer<T>.GroupsToText(optimizer.Groups!);
        if (Scheduler is null) return;
        var text = Scheduler.State().ToDictionary(kv => kv.Key, kv => kv.Value.ToString("R", CultureInfo.InvariantCulture));
        metadata["nabla.scheduler"] = JsonSerializer.Serialize(text, NablaJsonContext.Default.DictionaryStringString);
    }

    // The optimizer's groups (null in a checkpoint from before groups) and the scheduler's state, read before anything is restored.
    private (IReadOnlyList<ParamGroupState>? Groups, Dictionary<string, double>? Scheduler) ReadScheduling(IReadOnlyDictionary<string, string> metadata, string path)
    {
        var groups = metadata.TryGetValue("nabla.optimizer_groups", out var g) ? Optimizer<T>.GroupsFromText(g, path) : null;
        if (Scheduler is null) return (groups, null);
        if (!metadata.TryGetValue("nabla.scheduler", out var text)) throw new NablaException($"{path}: the checkpoint has no state for the {Scheduler.GetType().Name}");
        Dictionary<string, string>? raw;
        try { raw = JsonSerializer.Deserialize(text, NablaJsonContext.Default.DictionaryStringString); }
        catch (JsonException e) { throw new NablaException($"{path}: the scheduler's state is not valid JSON ({e.Message})"); }
        var state = new Dictionary<string, double>();
        foreach (var (key, value) in raw ?? [])
            state[key] = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                : throw new NablaException($"{path}: the scheduler's \"{key}\" is \"{value}\", not a number");
        return (groups, state);
    }
}
