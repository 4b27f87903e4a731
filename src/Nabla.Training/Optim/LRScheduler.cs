using System.Globalization;

namespace Nabla.Optim;

/// <summary>
/// Anything that sets an optimizer's learning rates as training goes (PyTorch's <c>torch.optim.lr_scheduler</c>):
/// <see cref="LRScheduler"/> kinds advance with <see cref="LRScheduler.Step"/>, <see cref="ReduceLROnPlateau"/> with
/// a metric. Each keeps a small state (<see cref="State"/>) that a checkpoint saves, so a resumed run continues the
/// schedule where it stopped; the learning rates themselves live in the optimizer's groups and are saved with it.
/// </summary>
public abstract class LearningRateScheduler
{
    private protected double[] lastLearningRates;

    private protected LearningRateScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer ?? throw new NablaArgumentException(nameof(optimizer), $"{GetType().Name}: optimizer is null");
        lastLearningRates = CurrentRates();
    }

    /// <summary>The optimizer whose groups' learning rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Each group's learning rate as this scheduler last set it (as the groups had it when the scheduler was built, if it never has).</summary>
    public IReadOnlyList<double> LastLearningRates => lastLearningRates;

    /// <summary>The scheduler's state by name (step counts, best metric, …), for a checkpoint.</summary>
    public abstract IReadOnlyDictionary<string, double> State();

    /// <summary>
    /// Restores a state taken by <see cref="State"/> from a scheduler of the same kind and settings on an optimizer
    /// with as many groups. Throws a <see cref="NablaException"/> naming a missing or bad entry, changing nothing.
    /// </summary>
    public abstract void LoadState(IReadOnlyDictionary<string, double> state);

    private protected double[] CurrentRates()
    {
        var rates = new double[Optimizer.ParamGroups.Count];
        for (int g = 0; g < rates.Length; g++) rates[g] = Optimizer.ParamGroups[g].LearningRate;
        return rates;
    }

    private protected string Name => GetType().Name;

    // Reads entry key of a state, checked against what it may hold.
    private protected double Entry(IReadOnlyDictionary<string, double> state, string key, Func<double, bool> valid, string requirement)
    {
        if (state is null) throw new NablaArgumentException(nameof(state), $"{Name}: state is null");
        if (!state.TryGetValue(key, out double v)) throw new NablaException($"cannot load the state of {Name}: it has no \"{key}\"");
        return valid(v) ? v : throw new NablaException($"cannot load the state of {Name}: \"{key}\" is {v.ToString("R", CultureInfo.InvariantCulture)}; it must be {requirement}");
    }

    private protected static bool Whole(double v) => v >= -1 && v <= int.MaxValue && Math.Floor(v) == v;

    // Per-group learning rates saved as "{prefix}.{group}".
    private protected double[] Rates(IReadOnlyDictionary<string, double> state, string prefix)
    {
        var rates = new double[Optimizer.ParamGroups.Count];
        for (int g = 0; g < rates.Length; g++) rates[g] = Entry(state, $"{prefix}.{g}", v => v >= 0 && double.IsFinite(v), "finite and ≥ 0");
        return rates;
    }

    private protected static void AddRates(IDictionary<string, double> state, string prefix, double[] rates)
    {
        for (int g = 0; g < rates.Length; g++) state[$"{prefix}.{g}"] = rates[g];
    }
}

/// <summary>A scheduler advanced by <see cref="Step"/>, once per optimizer step or once per epoch, as the caller chooses.</summary>
public abstract class LRScheduler : LearningRateScheduler
{
    private protected LRScheduler(Optimizer optimizer) : base(optimizer) { }

    /// <summary>Advances the schedule by one step (or epoch) and sets the optimizer's learning rates for the next one.</summary>
    public abstract void Step();
}

/// <summary>
/// PyTorch's <c>_LRScheduler</c>: on construction every group without an initial learning rate records its current
/// one (<see cref="ParamGroupSettings.InitialLearningRate"/>), which becomes this scheduler's base rate, and the
/// schedule's value for step 0 is set at once. Each <see cref="Step"/> then computes the next rate from the group's
/// current one (PyTorch's chainable form), so schedulers on one optimizer multiply (<see cref="ChainedScheduler"/>).
/// </summary>
public abstract class ChainableLRScheduler : LRScheduler
{
    private protected double[] baseLearningRates;
    private protected int stepCount;

    private protected ChainableLRScheduler(Optimizer optimizer) : base(optimizer)
    {
        foreach (var g in optimizer.ParamGroups) g.InitialLearningRate ??= g.LearningRate;
        baseLearningRates = [.. optimizer.ParamGroups.Select(g => g.InitialLearningRate!.Value)];
    }

    /// <summary>The steps taken (PyTorch's <c>last_epoch</c>): 0 after construction, one more after each <see cref="Step"/>.</summary>
    public int LastEpoch { get; private protected set; } = -1;

    /// <summary>Each group's base learning rate: its <see cref="ParamGroupSettings.InitialLearningRate"/> when the scheduler was built.</summary>
    public IReadOnlyList<double> BaseLearningRates => baseLearningRates;

    /// <inheritdoc/>
    public override void Step()
    {
        stepCount++;
        LastEpoch++;
        var groups = Optimizer.ParamGroups;
        for (int g = 0; g < groups.Count; g++) groups[g].LearningRate = Next(g, groups[g]);
        lastLearningRates = CurrentRates();
    }

    /// <summary>Called at the end of a constructor: step 0's learning rates (PyTorch's <c>_initial_step</c>).</summary>
    private protected void InitialStep()
    {
        stepCount = 0;
        Step();
    }

    /// <summary>Jumps to step <paramref name="epoch"/> with the closed form where there is one (PyTorch's <c>step(epoch)</c>, which SequentialLR uses at a milestone).</summary>
    internal void StepTo(int epoch)
    {
        stepCount++;
        LastEpoch = epoch;
        var groups = Optimizer.ParamGroups;
        for (int g = 0; g < groups.Count; g++) groups[g].LearningRate = ClosedForm(g) ?? Next(g, groups[g]);
        lastLearningRates = CurrentRates();
    }

    internal void UndoStep() => LastEpoch--;
    internal void RestartAtZero() => InitialStep();

    /// <summary>Group <paramref name="g"/>'s learning rate at step <see cref="LastEpoch"/>, from its current one.</summary>
    private protected abstract double Next(int g, ParamGroupSettings group);

    /// <summary>Group <paramref name="g"/>'s learning rate at step <see cref="LastEpoch"/> from its base rate alone, or null where the schedule has no closed form.</summary>
    private protected virtual double? ClosedForm(int g) => null;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double> State()
    {
        var state = new Dictionary<string, double> { ["last_epoch"] = LastEpoch, ["step_count"] = stepCount };
        AddRates(state, "base_lr", baseLearningRates);
        AddRates(state, "last_lr", lastLearningRates);
        return state;
    }

    /// <inheritdoc/>
    public override void LoadState(IReadOnlyDictionary<string, double> state)
    {
        int last = (int)Entry(state, "last_epoch", Whole, "a whole number ≥ −1");
        int steps = (int)Entry(state, "step_count", v => Whole(v) && v >= 0, "a whole number ≥ 0");
        var bases = Rates(state, "base_lr");
        var lasts = Rates(state, "last_lr");
        (LastEpoch, stepCount, baseLearningRates, lastLearningRates) = (last, steps, bases, lasts);
    }

    private protected static void Require(bool valid, string scheduler, string parameter, double value, string requirement)
    {
        if (!valid) throw new NablaArgumentException(parameter, $"{scheduler}: {parameter} is {value.ToString("R", CultureInfo.InvariantCulture)}; it must be {requirement}");
    }
}
