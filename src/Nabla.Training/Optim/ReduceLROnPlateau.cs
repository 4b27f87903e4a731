namespace Nabla.Optim;

/// <summary>Whether <see cref="ReduceLROnPlateau"/> wants its metric low (a loss) or high (an accuracy).</summary>
public enum PlateauMode
{
    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>How <see cref="ReduceLROnPlateau"/> decides that a metric improved on the best so far.</summary>
public enum ThresholdMode
{
    /// <summary>By a fraction: a &lt; best·(1 − threshold) (min) or a &gt; best·(1 + threshold) (max).</summary>
    Rel,

    /// <summary>By an amount: a &lt; best − threshold (min) or a &gt; best + threshold (max).</summary>
    Abs,
}

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c>: <see cref="Step"/> takes the epoch's metric; after more than
/// <see cref="Patience"/> epochs in a row without improvement, every group's rate becomes max(lr·factor, min_lr)
/// (unless that changes it by no more than eps), then <see cref="Cooldown"/> epochs pass in which bad epochs are not counted.
/// </summary>
public sealed class ReduceLROnPlateau : LearningRateScheduler
{
    private readonly double[] minLearningRates;
    private double best;
    private int badEpochs, cooldownCounter, lastEpoch;

    /// <summary>Watches a metric for <paramref name="optimizer"/>; the rates are untouched until a reduction.</summary>
    /// <param name="optimizer">The optimizer whose rates to reduce.</param>
    /// <param name="mode">Whether lower or higher metrics are better.</param>
    /// <param name="factor">The multiplier of a reduction, in [0, 1).</param>
    /// <param name="patience">Epochs without improvement tolerated, ≥ 0.</param>
    /// <param name="threshold">The least improvement that counts, finite and ≥ 0.</param>
    /// <param name="thresholdMode">Whether <paramref name="threshold"/> is relative or absolute.</param>
    /// <param name="cooldown">Epochs after a reduction in which bad epochs are not counted, ≥ 0.</param>
    /// <param name="minLearningRate">The floor of every group's rate, finite and ≥ 0.</param>
    /// <param name="eps">Reductions smaller than this are skipped, finite and ≥ 0.</param>
    public ReduceLROnPlateau(Optimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10, double threshold = 1e-4,
        ThresholdMode thresholdMode = ThresholdMode.Rel, int cooldown = 0, double minLearningRate = 0, double eps = 1e-8)
        : this(optimizer, Enumerable.Repeat(minLearningRate, optimizer?.ParamGroups.Count ?? 0).ToArray(), mode, factor, patience, threshold, thresholdMode, cooldown, eps) { }

    /// <summary>As the other constructor, with a floor per parameter group.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, IReadOnlyList<double> minLearningRates, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Rel, int cooldown = 0, double eps = 1e-8) : base(optimizer)
    {
        const string who = "ReduceLROnPlateau";
        if (minLearningRates is null || minLearningRates.Count != optimizer.ParamGroups.Count)
            throw new NablaArgumentException(nameof(minLearningRates), $"{who}: expected one minLearningRate per parameter group ({optimizer.ParamGroups.Count}), got {minLearningRates?.Count ?? 0}");
        foreach (double m in minLearningRates) Check(m >= 0 && double.IsFinite(m), "minLearningRate", m, "finite and ≥ 0");
        Check(factor is >= 0 and < 1, nameof(factor), factor, "in [0, 1)");
        Check(patience >= 0, nameof(patience), patience, "a whole number ≥ 0");
        Check(threshold >= 0 && double.IsFinite(threshold), nameof(threshold), threshold, "finite and ≥ 0");
        Check(cooldown >= 0, nameof(cooldown), cooldown, "a whole number ≥ 0");
        Check(eps >= 0 && double.IsFinite(eps), nameof(eps), eps, "finite and ≥ 0");
        if (mode is not (PlateauMode.Min or PlateauMode.Max)) throw new NablaArgumentException(nameof(mode), $"{who}: mode {(int)mode} is neither Min nor Max");
        Limits.Defined(thresholdMode, nameof(thresholdMode));
        if (thresholdMode is not (ThresholdMode.Rel or ThresholdMode.Abs)) throw new NablaArgumentException(nameof(thresholdMode), $"{who}: thresholdMode {(int)thresholdMode} is neither Rel nor Abs");
        this.minLearningRates = [.. minLearningRates];
        (Mode, Factor, Patience, Threshold, ThresholdMode, Cooldown, Eps) = (mode, factor, patience, threshold, thresholdMode, cooldown, eps);
        best = Worst;
    }

    /// <summary>Whether lower or higher metrics are better.</summary>
    public PlateauMode Mode { get; }
    /// <summary>The multiplier of a reduction.</summary>
    public double Factor { get; }
    /// <summary>Epochs without improvement tolerated before a reduction.</summary>
    public int Patience { get; }
    /// <summary>The least improvement that counts.</summary>
    public double Threshold { get; }
    /// <summary>Whether <see cref="Threshold"/> is relative or absolute.</summary>
    public ThresholdMode ThresholdMode { get; }
    /// <summary>Epochs after a reduction in which bad epochs are not counted.</summary>
    public int Cooldown { get; }
    /// <summary>Reductions smaller than this are skipped.</summary>
    public double Eps { get; }
    /// <summary>The best metric so far (+∞ in Min mode, −∞ in Max mode before the first).</summary>
    public double Best => best;
    /// <summary>Epochs in a row without improvement (bad epochs in a cooldown are not counted).</summary>
    public int BadEpochs => badEpochs;

    private double Worst => Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>Takes one epoch's <paramref name="metric"/> and reduces the rates if it is time to (a NaN metric counts as no improvement, as in PyTorch).</summary>
    public void Step(double metric)
    {
        lastEpoch++;
        if (IsBetter(metric))
        {
            best = metric;
            badEpochs = 0;
        }
        else badEpochs++;
        if (cooldownCounter > 0)
        {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs > Patience)
        {
            var groups = Optimizer.ParamGroups;
            for (int g = 0; g < groups.Count; g++)
            {
                double old = groups[g].LearningRate, reduced = Math.Max(old * Factor, minLearningRates[g]);
                if (old - reduced > Eps) groups[g].LearningRate = reduced;
            }
            cooldownCounter = Cooldown;
            badEpochs = 0;
        }
        lastLearningRates = CurrentRates();
    }

    private bool IsBetter(double a) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Rel) => a < best * (1.0 - Threshold),
        (PlateauMode.Min, ThresholdMode.Abs) => a < best - Threshold,
        (PlateauMode.Max, ThresholdMode.Rel) => a > best * (Threshold + 1.0),
        _ => a > best + Threshold,
    };

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double> State()
    {
        var state = new Dictionary<string, double> { ["best"] = best, ["num_bad_epochs"] = badEpochs, ["cooldown_counter"] = cooldownCounter, ["last_epoch"] = lastEpoch };
        AddRates(state, "last_lr", lastLearningRates);
        return state;
    }

    /// <inheritdoc/>
    public override void LoadState(IReadOnlyDictionary<string, double> state)
    {
        double b = Entry(state, "best", v => !double.IsNaN(v), "a number");
        int bad = (int)Entry(state, "num_bad_epochs", v => Whole(v) && v >= 0, "a whole number ≥ 0");
        int cool = (int)Entry(state, "cooldown_counter", v => Whole(v) && v >= 0, "a whole number ≥ 0");
        int last = (int)Entry(state, "last_epoch", v => Whole(v) && v >= 0, "a whole number ≥ 0");
        var lasts = Rates(state, "last_lr");
        (best, badEpochs, cooldownCounter, lastEpoch, lastLearningRates) = (b, bad, cool, last, lasts);
    }

    private static void Check(bool valid, string parameter, double value, string requirement)
    {
        if (!valid) throw new NablaArgumentException(parameter, $"ReduceLROnPlateau: {parameter} is {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}; it must be {requirement}");
    }
}
