using System.Globalization;
using System.Numerics;
using Nabla.Data;
using Nabla.Rng;
using Nabla.Training.Metrics;

namespace Nabla.Training;

/// <summary>
/// A table of samples (<see cref="TrainingData"/>) made ready for a <see cref="Trainer{T}"/>: split into training
/// and validation rows by a seeded generator, features standardised with statistics of the training rows only,
/// and a regression target standardised likewise (<see cref="TargetScale"/> undoes it).
/// </summary>
public sealed class TabularData<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Splits <paramref name="data"/> (when <paramref name="validation"/> &gt; 0, the first draw from
    /// <paramref name="rng"/> is the permutation that decides the split) and standardises it.
    /// </summary>
    /// <exception cref="NablaException">The fraction is outside [0, 1) or leaves no training rows.</exception>
    public TabularData(TrainingData data, double validation, RandomState rng)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        Data = data;
        int[] order = validation > 0 ? rng.Permutation(data.Rows) : [.. Enumerable.Range(0, data.Rows)];
        Split = validation > 0 ? Nabla.Data.Split.TrainValidation(data.Rows, validation, order) : new SplitIndices(order, []);
        Standardizer = Standardizer.Fit(data.Features, Split.Train);
        var x = (double[])data.Features.Values.Clone();
        Standardizer.TransformInPlace(x);
        bool regression = data.Task == TaskKind.Regression;
        TargetScale = regression ? MeanStd(data.Targets, Split.Train) : TargetScale.Identity;
        var scale = TargetScale;
        var targets = Array.ConvertAll(data.Targets, t => T.CreateChecked(regression ? scale.FromTarget(t) : t));
        int[]? labels = regression ? null : Array.ConvertAll(data.Targets, t => (int)t);
        Set = new TrainingSet<T>(Array.ConvertAll(x, T.CreateChecked), data.Features.Columns, targets, labels, Split.Train, Split.Validation,
            $"{data.Description}, {data.Rows} rows, contents {data.ContentHash().ToString("x16", CultureInfo.InvariantCulture)}, " +
            $"validation {validation.ToString("R", CultureInfo.InvariantCulture)}");
    }

    /// <summary>The table as given.</summary>
    public TrainingData Data { get; }

    /// <summary>Which rows train and which validate.</summary>
    public SplitIndices Split { get; }

    /// <summary>The feature standardisation, fitted on the training rows.</summary>
    public Standardizer Standardizer { get; }

    /// <summary>How the network's regression output maps back to the target's units (identity for a classifier).</summary>
    public TargetScale TargetScale { get; }

    /// <summary>The standardised samples, for the trainer.</summary>
    public TrainingSet<T> Set { get; }

    private static TargetScale MeanStd(double[] values, int[] rows)
    {
        double mean = rows.Average(r => values[r]);
        double variance = rows.Average(r => (values[r] - mean) * (values[r] - mean));
        double std = Math.Sqrt(variance);
        return new TargetScale(mean, std > 0 && double.IsFinite(std) ? std : 1.0);
    }
}
