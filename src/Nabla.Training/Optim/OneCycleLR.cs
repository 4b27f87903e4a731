namespace Nabla.Optim;

/// <summary>How <see cref="OneCycleLR"/> moves between two values within a phase.</summary>
public enum AnnealStrategy
{
    /// <summary>end + (start − end)/2 · (1 + cos(π·pct)).</summary>
    Cos,

    /// <summary>start + (end − start)·pct.</summary>
    Linear,
}

/// <summary>
/// PyTorch's <c>OneCycleLR</c> (the 1cycle policy), stepped once per optimizer step: each group's rate rises from
/// max_lr/divFactor to max_lr over the first pctStart of <see cref="TotalSteps"/>, then falls to
/// max_lr/(divFactor·finalDivFactor); the momentum (SGD's μ, or Adam's β₁) moves the opposite way between
/// maxMomentum and baseMomentum. With threePhase the rate comes back down to the start before the final fall, as in
/// PyTorch. Stepping past <see cref="TotalSteps"/> throws. The group's initial rate is set to max_lr/divFactor.
/// </summary>
public sealed class OneCycleLR : ChainableLRScheduler
{
    private readonly (double EndStep, int StartLr, int EndLr, int StartMomentum, int EndMomentum)[] phases;
    // Per group: the rates and momenta the phases move between, indexed by the Initial, Max, Min and Base constants.
    private readonly double[][] rates, momenta;
    private readonly string? momentumOption;
    private const int Initial = 0, Max = 1, Min = 2, Base = 0, High = 1;

    /// <summary>Sets up every group as described on the class and sets step 0's rates and momenta.</summary>
    /// <param name="optimizer">The optimizer whose rates (and momenta) to set.</param>
    /// <param name="maxLearningRate">max_lr, the peak rate of every group; finite and &gt; 0.</param>
    /// <param name="totalSteps">Steps in the cycle, ≥ 1.</param>
    /// <param name="pctStart">The fraction of the cycle spent rising, in [0, 1].</param>
    /// <param name="annealStrategy">Cosine or linear interpolation within a phase.</param>
    /// <param name="cycleMomentum">Whether to cycle the momentum too (the optimizer must have one: SGD or Adam).</param>
    /// <param name="baseMomentum">The momentum at the peak rate.</param>
    /// <param name="maxMomentum">The momentum at the start and the end.</param>
    /// <param name="divFactor">max_lr / the starting rate, &gt; 0.</param>
    /// <param name="finalDivFactor">The starting rate / the final rate, &gt; 0.</param>
    /// <param name="threePhase">PyTorch's three-phase variant.</param>
    public OneCycleLR(Optimizer optimizer, double maxLearningRate, int totalSteps, double pctStart = 0.3, AnnealStrategy annealStrategy = AnnealStrategy.Cos,
        bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
        : this(optimizer, Enumerable.Repeat(maxLearningRate, optimizer?.ParamGroups.Count ?? 0).ToArray(), totalSteps, pctStart, annealStrategy,
            cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase) { }

    /// <summary>As the other constructor, with a peak rate per parameter group.</summary>
    public OneCycleLR(Optimizer optimizer, IReadOnlyList<double> maxLearningRates, int totalSteps, double pctStart = 0.3, AnnealStrategy annealStrategy = AnnealStrategy.Cos,
        bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
        : base(optimizer)
    {
        const string who = "OneCycleLR";
        if (maxLearningRates is null || maxLearningRates.Count != optimizer.ParamGroups.Count)
            throw new NablaArgumentException(nameof(maxLearningRates), $"{who}: expected one maxLearningRate per parameter group ({optimizer.ParamGroups.Count}), got {maxLearningRates?.Count ?? 0}");
        foreach (double m in maxLearningRates) Require(m > 0 && double.IsFinite(m), who, "maxLearningRate", m, "finite and > 0");
        Require(totalSteps >= 1, who, nameof(totalSteps), totalSteps, "a whole number ≥ 1");
        Require(pctStart is >= 0 and <= 1, who, nameof(pctStart), pctStart, "in [0, 1]");
        Require(divFactor > 0 && double.IsFinite(divFactor), who, nameof(divFactor), divFactor, "finite and > 0");
        Require(finalDivFactor > 0 && double.IsFinite(finalDivFactor), who, nameof(finalDivFactor), finalDivFactor, "finite and > 0");
        TotalSteps = totalSteps;
        Strategy = Limits.Defined(annealStrategy, nameof(annealStrategy));
        double rise = pctStart * totalSteps - 1;
        phases = threePhase
            ? [(rise, Initial, Max, High, Base), (2 * pctStart * totalSteps - 2, Max, Initial, Base, High), (totalSteps - 1, Initial, Min, High, High)]
            : [(rise, Initial, Max, High, Base), (totalSteps - 1, Max, Min, Base, High)];
        // A phase that ends where the previous one did would divide by zero at its first step, as PyTorch's does.
        double start = 0;
        foreach (var p in phases)
        {
            if (!(p.EndStep > start))
                throw new NablaArgumentException(nameof(pctStart), $"{who}: pctStart {pctStart} of {totalSteps} steps leaves a phase with no steps (it would end at step {p.EndStep} after starting at {start}); use more steps or another pctStart");
            start = p.EndStep;
        }
        if (cycleMomentum)
        {
            momentumOption = optimizer.CycledMomentum
                ?? throw new NablaArgumentException(nameof(cycleMomentum), $"{who}: {optimizer.Name} has no momentum to cycle; pass cycleMomentum: false");
            Require(baseMomentum is >= 0 and < 1, who, nameof(baseMomentum), baseMomentum, "in [0, 1)");
            Require(maxMomentum is >= 0 and < 1, who, nameof(maxMomentum), maxMomentum, "in [0, 1)");
        }
        int groups = optimizer.ParamGroups.Count;
        rates = new double[groups][];
        momenta = new double[groups][];
        for (int g = 0; g < groups; g++)
        {
            var group = optimizer.ParamGroups[g];
            double initial = maxLearningRates[g] / divFactor;
            group.InitialLearningRate = initial;
            baseLearningRates[g] = initial;
            rates[g] = [initial, maxLearningRates[g], initial / finalDivFactor];
            momenta[g] = [baseMomentum, maxMomentum];
            if (momentumOption is not null) group.Set(momentumOption, maxMomentum);
        }
        InitialStep();
    }

    /// <summary>Steps in the cycle.</summary>
    public int TotalSteps { get; }

    /// <summary>How values move within a phase.</summary>
    public AnnealStrategy Strategy { get; }

    private protected override double Next(int g, ParamGroupSettings group)
    {
        int step = LastEpoch;
        if (step > TotalSteps)
            throw new NablaException($"OneCycleLR: tried to step {step + 1} times; the cycle has {TotalSteps} steps (totalSteps)");
        // The phase holding this step: the first that ends at or after it, else the last.
        int i = 0;
        double start = 0;
        while (i < phases.Length - 1 && step > phases[i].EndStep) start = phases[i++].EndStep;
        var phase = phases[i];
        double pct = (step - start) / (phase.EndStep - start);
        if (momentumOption is not null) group.Set(momentumOption, Anneal(momenta[g][phase.StartMomentum], momenta[g][phase.EndMomentum], pct));
        return Anneal(rates[g][phase.StartLr], rates[g][phase.EndLr], pct);
    }

    private double Anneal(double start, double end, double pct) => Strategy == AnnealStrategy.Cos
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;
}
