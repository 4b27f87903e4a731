namespace Nabla.Optim;

/// <summary>
/// PyTorch's <c>SequentialLR</c>: runs <c>schedulers[0]</c> until the first milestone, <c>schedulers[1]</c> until the
/// next, and so on. Building it resets the groups to their initial rates and restarts the first scheduler at step 0;
/// at a milestone the next scheduler restarts at its step 0 from its base rates (its closed form where it has one).
/// </summary>
public sealed class SequentialLR : LRScheduler
{
    private readonly ChainableLRScheduler[] schedulers;
    private readonly int[] milestones;

    /// <summary>Chains <paramref name="schedulers"/> (all built on <paramref name="optimizer"/>) at the steps <paramref name="milestones"/>.</summary>
    /// <param name="optimizer">The optimizer every scheduler drives.</param>
    /// <param name="schedulers">One more than there are milestones; SequentialLR and ChainedScheduler cannot be nested in it.</param>
    /// <param name="milestones">Strictly increasing steps ≥ 1 at which the next scheduler takes over.</param>
    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<int> milestones) : base(optimizer)
    {
        if (schedulers is null || schedulers.Count == 0) throw new NablaArgumentException(nameof(schedulers), "SequentialLR: schedulers is empty");
        if (milestones is null || milestones.Count != schedulers.Count - 1)
            throw new NablaArgumentException(nameof(milestones), $"SequentialLR: {schedulers.Count} schedulers need {schedulers.Count - 1} milestones, got {milestones?.Count ?? 0}");
        this.schedulers = new ChainableLRScheduler[schedulers.Count];
        for (int i = 0; i < schedulers.Count; i++)
        {
            if (schedulers[i] is not ChainableLRScheduler s)
                throw new NablaArgumentException(nameof(schedulers), $"SequentialLR: scheduler {i} is a {schedulers[i]?.GetType().Name ?? "null"}; it takes schedulers such as LinearLR or CosineAnnealingLR, not SequentialLR or ChainedScheduler");
            if (!ReferenceEquals(s.Optimizer, optimizer))
                throw new NablaArgumentException(nameof(schedulers), $"SequentialLR: scheduler {i} ({s.GetType().Name}) drives another optimizer than the one given");
            this.schedulers[i] = s;
        }
        for (int i = 0; i < milestones.Count; i++)
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1]))
                throw new NablaArgumentException(nameof(milestones), $"SequentialLR: milestone {i} is {milestones[i]}; milestones must be ≥ 1 and strictly increasing");
        this.milestones = [.. milestones];
        foreach (var g in optimizer.ParamGroups) g.LearningRate = g.InitialLearningRate!.Value;
        foreach (var s in this.schedulers) s.UndoStep();
        this.schedulers[0].RestartAtZero();
        lastLearningRates = [.. this.schedulers[0].LastLearningRates];
    }

    /// <summary>The steps taken: 0 after construction.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The scheduler in charge of step <see cref="LastEpoch"/>.</summary>
    public LRScheduler Current => schedulers[Active()];

    private int Active()
    {
        int i = 0;
        while (i < milestones.Length && milestones[i] <= LastEpoch) i++;
        return i;
    }

    /// <inheritdoc/>
    public override void Step()
    {
        LastEpoch++;
        int i = Active();
        if (i > 0 && milestones[i - 1] == LastEpoch) schedulers[i].StepTo(0);
        else schedulers[i].Step();
        lastLearningRates = [.. schedulers[i].LastLearningRates];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double> State()
    {
        var state = new Dictionary<string, double> { ["last_epoch"] = LastEpoch };
        AddRates(state, "last_lr", lastLearningRates);
        for (int i = 0; i < schedulers.Length; i++)
            foreach (var (key, value) in schedulers[i].State()) state[$"{i}.{key}"] = value;
        return state;
    }

    /// <inheritdoc/>
    public override void LoadState(IReadOnlyDictionary<string, double> state)
    {
        int last = (int)Entry(state, "last_epoch", v => Whole(v) && v >= 0, "a whole number ≥ 0");
        var lasts = Rates(state, "last_lr");
        ChainedScheduler.LoadChildren(schedulers, state);
        (LastEpoch, lastLearningRates) = (last, lasts);
    }
}

/// <summary>
/// PyTorch's <c>ChainedScheduler</c>: <see cref="Step"/> steps every scheduler in order, so their factors multiply
/// (e.g. a warm-up LinearLR times an ExponentialLR). The schedulers must all drive one optimizer.
/// </summary>
public sealed class ChainedScheduler : LRScheduler
{
    private readonly LRScheduler[] schedulers;

    /// <summary>Chains <paramref name="schedulers"/>, already built (each has set its step 0).</summary>
    public ChainedScheduler(IReadOnlyList<LRScheduler> schedulers) : base(First(schedulers))
    {
        for (int i = 1; i < schedulers.Count; i++)
            if (schedulers[i] is null || !ReferenceEquals(schedulers[i].Optimizer, Optimizer))
                throw new NablaArgumentException(nameof(schedulers), $"ChainedScheduler: scheduler {i} ({schedulers[i]?.GetType().Name ?? "null"}) drives another optimizer than scheduler 0");
        this.schedulers = [.. schedulers];
    }

    private static Optimizer First(IReadOnlyList<LRScheduler> schedulers) =>
        schedulers is { Count: > 0 } && schedulers[0] is { } s ? s.Optimizer : throw new NablaArgumentException(nameof(schedulers), "ChainedScheduler: schedulers is empty or starts with null");

    /// <summary>The schedulers, in the order they are stepped.</summary>
    public IReadOnlyList<LRScheduler> Schedulers => schedulers;

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var s in schedulers) s.Step();
        lastLearningRates = CurrentRates();
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double> State()
    {
        var state = new Dictionary<string, double>();
        AddRates(state, "last_lr", lastLearningRates);
        for (int i = 0; i < schedulers.Length; i++)
            foreach (var (key, value) in schedulers[i].State()) state[$"{i}.{key}"] = value;
        return state;
    }

    /// <inheritdoc/>
    public override void LoadState(IReadOnlyDictionary<string, double> state)
    {
        var lasts = Rates(state, "last_lr");
        LoadChildren(schedulers, state);
        lastLearningRates = lasts;
    }

    // Loads each child's entries ("{i}.{key}"); every child is checked before any is changed.
    internal static void LoadChildren(IReadOnlyList<LearningRateScheduler> children, IReadOnlyDictionary<string, double> state)
    {
        var parts = new Dictionary<string, double>[children.Count];
        for (int i = 0; i < children.Count; i++)
        {
            string prefix = $"{i}.";
            parts[i] = state.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        }
        var saved = children.Select(c => c.State()).ToArray();
        try
        {
            for (int i = 0; i < children.Count; i++) children[i].LoadState(parts[i]);
        }
        catch (NablaException)
        {
            for (int i = 0; i < children.Count; i++) children[i].LoadState(saved[i]);
            throw;
        }
    }
}
