namespace Nabla.Optim;

// The schedules with one formula each, written as PyTorch 1.13 computes them (chainable form from the group's current
// rate, closed form from the base rate), so the rates agree with PyTorch's to the last bits or nearly.

/// <summary>
/// PyTorch's <c>LinearLR</c>: the factor goes in a straight line from <see cref="StartFactor"/> at step 0 to
/// <see cref="EndFactor"/> at step <see cref="TotalIters"/>, then stays: lr(t) = base · (s + (e − s)·min(t, T)/T).
/// With s = 1/N, e = 1, T = N it is a linear warm-up over N steps.
/// </summary>
public sealed class LinearLR : ChainableLRScheduler
{
    /// <summary>Sets every group's rate to base · <paramref name="startFactor"/>.</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="startFactor">s, in (0, 1].</param>
    /// <param name="endFactor">e, in [0, 1].</param>
    /// <param name="totalIters">T ≥ 1, the steps from s to e.</param>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5) : base(optimizer)
    {
        Require(startFactor is > 0 and <= 1, "LinearLR", nameof(startFactor), startFactor, "in (0, 1]");
        Require(endFactor is >= 0 and <= 1, "LinearLR", nameof(endFactor), endFactor, "in [0, 1]");
        Require(totalIters >= 1, "LinearLR", nameof(totalIters), totalIters, "a whole number ≥ 1");
        (StartFactor, EndFactor, TotalIters) = (startFactor, endFactor, totalIters);
        InitialStep();
    }

    /// <summary>s, the factor at step 0.</summary>
    public double StartFactor { get; }
    /// <summary>e, the factor from step T on.</summary>
    public double EndFactor { get; }
    /// <summary>T, the steps the line takes.</summary>
    public int TotalIters { get; }

    private protected override double Next(int g, ParamGroupSettings group)
    {
        double lr = group.LearningRate;
        if (LastEpoch == 0) return lr * StartFactor;
        if (LastEpoch > TotalIters) return lr;
        return lr * (1.0 + (EndFactor - StartFactor) / (TotalIters * StartFactor + (LastEpoch - 1) * (EndFactor - StartFactor)));
    }

    private protected override double? ClosedForm(int g) =>
        baseLearningRates[g] * (StartFactor + (EndFactor - StartFactor) * Math.Min(TotalIters, LastEpoch) / TotalIters);
}

/// <summary>PyTorch's <c>StepLR</c>: lr(t) = base · γ^⌊t / stepSize⌋, the rate multiplied by γ every <see cref="StepSize"/> steps.</summary>
public sealed class StepLR : ChainableLRScheduler
{
    /// <summary>Sets every group's rate to its base rate.</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="stepSize">Steps between multiplications, ≥ 1.</param>
    /// <param name="gamma">γ, finite and ≥ 0.</param>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        Require(stepSize >= 1, "StepLR", nameof(stepSize), stepSize, "a whole number ≥ 1");
        Require(gamma >= 0 && double.IsFinite(gamma), "StepLR", nameof(gamma), gamma, "finite and ≥ 0");
        (StepSize, Gamma) = (stepSize, gamma);
        InitialStep();
    }

    /// <summary>Steps between multiplications by <see cref="Gamma"/>.</summary>
    public int StepSize { get; }
    /// <summary>γ.</summary>
    public double Gamma { get; }

    private protected override double Next(int g, ParamGroupSettings group) =>
        LastEpoch == 0 || LastEpoch % StepSize != 0 ? group.LearningRate : group.LearningRate * Gamma;

    private protected override double? ClosedForm(int g) => baseLearningRates[g] * Math.Pow(Gamma, LastEpoch / StepSize);
}

/// <summary>PyTorch's <c>MultiStepLR</c>: the rate multiplied by γ at each milestone step (twice at a milestone given twice).</summary>
public sealed class MultiStepLR : ChainableLRScheduler
{
    private readonly int[] milestones;

    /// <summary>Sets every group's rate to its base rate.</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="milestones">The steps at which to multiply, each ≥ 1, in any order, repeats counting once each.</param>
    /// <param name="gamma">γ, finite and ≥ 0.</param>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1) : base(optimizer)
    {
        this.milestones = [.. (milestones ?? throw new NablaArgumentException(nameof(milestones), "MultiStepLR: milestones is null")).Order()];
        foreach (int m in this.milestones) Require(m >= 1, "MultiStepLR", nameof(milestones), m, "a step ≥ 1");
        Require(gamma >= 0 && double.IsFinite(gamma), "MultiStepLR", nameof(gamma), gamma, "finite and ≥ 0");
        Gamma = gamma;
        InitialStep();
    }

    /// <summary>The milestones in increasing order.</summary>
    public IReadOnlyList<int> Milestones => milestones;
    /// <summary>γ.</summary>
    public double Gamma { get; }

    private protected override double Next(int g, ParamGroupSettings group)
    {
        int hits = 0;
        foreach (int m in milestones) if (m == LastEpoch) hits++;
        return hits == 0 ? group.LearningRate : group.LearningRate * Math.Pow(Gamma, hits);
    }

    private protected override double? ClosedForm(int g)
    {
        int passed = 0;
        foreach (int m in milestones) if (m <= LastEpoch) passed++;
        return baseLearningRates[g] * Math.Pow(Gamma, passed);
    }
}

/// <summary>PyTorch's <c>ExponentialLR</c>: lr(t) = base · γᵗ.</summary>
public sealed class ExponentialLR : ChainableLRScheduler
{
    /// <summary>Sets every group's rate to its base rate.</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="gamma">γ, finite and ≥ 0.</param>
    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
    {
        Require(gamma >= 0 && double.IsFinite(gamma), "ExponentialLR", nameof(gamma), gamma, "finite and ≥ 0");
        Gamma = gamma;
        InitialStep();
    }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    private protected override double Next(int g, ParamGroupSettings group) => LastEpoch == 0 ? group.LearningRate : group.LearningRate * Gamma;

    private protected override double? ClosedForm(int g) => baseLearningRates[g] * Math.Pow(Gamma, LastEpoch);
}

/// <summary>
/// PyTorch's <c>CosineAnnealingLR</c>: lr(t) = η_min + (base − η_min)·(1 + cos(π·t/T))/2, computed recursively from
/// the current rate as PyTorch does (so past T the rate climbs back up, a period of 2T, as in PyTorch).
/// </summary>
public sealed class CosineAnnealingLR : ChainableLRScheduler
{
    /// <summary>Sets every group's rate to its current rate (the base, for a first scheduler).</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="tMax">T ≥ 1, the steps from base down to η_min.</param>
    /// <param name="etaMin">η_min, finite and ≥ 0.</param>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        Require(tMax >= 1, "CosineAnnealingLR", nameof(tMax), tMax, "a whole number ≥ 1");
        Require(etaMin >= 0 && double.IsFinite(etaMin), "CosineAnnealingLR", nameof(etaMin), etaMin, "finite and ≥ 0");
        (TMax, EtaMin) = (tMax, etaMin);
        InitialStep();
    }

    /// <summary>T, the half period.</summary>
    public int TMax { get; }
    /// <summary>η_min, the lowest rate.</summary>
    public double EtaMin { get; }

    private protected override double Next(int g, ParamGroupSettings group)
    {
        double lr = group.LearningRate, b = baseLearningRates[g];
        if (LastEpoch == 0) return lr;
        if (stepCount == 1 && LastEpoch > 0) return EtaMin + (b - EtaMin) * (1 + Math.Cos(LastEpoch * Math.PI / TMax)) / 2;
        long k = LastEpoch - 1L - TMax, period = 2L * TMax;
        if (((k % period) + period) % period == 0) return lr + (b - EtaMin) * (1 - Math.Cos(Math.PI / TMax)) / 2;
        return (1 + Math.Cos(Math.PI * LastEpoch / TMax)) / (1 + Math.Cos(Math.PI * (LastEpoch - 1) / TMax)) * (lr - EtaMin) + EtaMin;
    }

    private protected override double? ClosedForm(int g) =>
        EtaMin + (baseLearningRates[g] - EtaMin) * (1 + Math.Cos(Math.PI * LastEpoch / TMax)) / 2;
}

/// <summary>PyTorch's <c>LambdaLR</c>: lr(t) = base · f(t), with one factor function for every group or one per group.</summary>
public sealed class LambdaLR : ChainableLRScheduler
{
    private readonly Func<int, double>[] factors;

    /// <summary>Sets every group's rate to base · f(0).</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="factor">f, applied to every group; must return finite values ≥ 0.</param>
    public LambdaLR(Optimizer optimizer, Func<int, double> factor)
        : this(optimizer, Enumerable.Repeat(factor ?? throw new NablaArgumentException(nameof(factor), "LambdaLR: factor is null"), optimizer?.ParamGroups.Count ?? 0).ToArray()) { }

    /// <summary>Sets group g's rate to base_g · f_g(0).</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="factors">One factor function per parameter group.</param>
    public LambdaLR(Optimizer optimizer, IReadOnlyList<Func<int, double>> factors) : base(optimizer)
    {
        if (factors is null || factors.Count != optimizer.ParamGroups.Count || factors.Any(f => f is null))
            throw new NablaArgumentException(nameof(factors), $"{Name}: expected one factor function per parameter group ({optimizer.ParamGroups.Count}), got {factors?.Count(f => f is not null) ?? 0}");
        this.factors = [.. factors];
        InitialStep();
    }

    private protected override double Next(int g, ParamGroupSettings group)
    {
        double f = factors[g](LastEpoch);
        return f >= 0 && double.IsFinite(f) ? baseLearningRates[g] * f
            : throw new NablaException($"{Name}: the factor of parameter group {g} at step {LastEpoch} is {f}; it must be finite and ≥ 0");
    }
}

/// <summary>
/// Linear warm-up then half a cosine, as a <see cref="LambdaLR"/> factor (HuggingFace's
/// <c>get_cosine_schedule_with_warmup</c> with one half-cycle, plus a floor): f(t) = t/W for t &lt; W, then
/// f(t) = m + (1 − m)·(1 + cos(π·p))/2 with p = min(1, (t − W)/max(1, T − W)); W warm-up steps, T total steps, m the
/// floor. With m = 0 and t ≤ T it equals HuggingFace's factor exactly; past T it stays at m (HuggingFace's climbs back).
/// </summary>
public sealed class CosineWarmupLR : ChainableLRScheduler
{
    private readonly Func<int, double> factor;

    /// <summary>Sets every group's rate to base · f(0) (0 when there is a warm-up).</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="warmupSteps">W ≥ 0.</param>
    /// <param name="totalSteps">T ≥ W.</param>
    /// <param name="minFactor">m, the floor as a fraction of the base rate, in [0, 1].</param>
    public CosineWarmupLR(Optimizer optimizer, int warmupSteps, int totalSteps, double minFactor = 0) : base(optimizer)
    {
        factor = Factor(warmupSteps, totalSteps, minFactor);
        InitialStep();
    }

    private protected override double Next(int g, ParamGroupSettings group) => baseLearningRates[g] * factor(LastEpoch);

    /// <summary>The factor f(t) described on the class, checked: W ≥ 0, T ≥ W, m in [0, 1].</summary>
    public static Func<int, double> Factor(int warmupSteps, int totalSteps, double minFactor = 0)
    {
        Require(warmupSteps >= 0, "CosineWarmupLR", nameof(warmupSteps), warmupSteps, "a whole number ≥ 0");
        Require(totalSteps >= warmupSteps, "CosineWarmupLR", nameof(totalSteps), totalSteps, $"≥ warmupSteps ({warmupSteps})");
        Require(minFactor is >= 0 and <= 1, "CosineWarmupLR", nameof(minFactor), minFactor, "in [0, 1]");
        return t =>
        {
            if (t < warmupSteps) return (double)t / Math.Max(1, warmupSteps);
            double progress = Math.Min(1.0, (double)(t - warmupSteps) / Math.Max(1, totalSteps - warmupSteps));
            return minFactor + (1 - minFactor) * Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * progress)));
        };
    }
}
