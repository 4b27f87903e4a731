using System.Globalization;
using System.Numerics;
using Nabla.Data;
using Nabla.Rng;
using Nabla.Training.Metrics;

namespace Nabla.Training;

/// <summary>The steps that turn a <see cref="LabeledTable"/> into the <see cref="TrainingSet{T}"/> a <see cref="Trainer{T}"/> consumes.</summary>
public static class TrainingSet
{
    /// <summary>
    /// Splits <paramref name="data"/> into training and validation rows (when <paramref name="validation"/> &gt; 0 the
    /// first draw from <paramref name="rng"/> is the permutation that decides the split, <see cref="Split.TrainValidation"/>),
    /// standardises the features with statistics of the training rows only (<see cref="Standardizer.Fit(Table, ReadOnlySpan{int})"/>),
    /// and a regression target likewise (<see cref="TrainingSet{T}.TargetScale"/> undoes it).
    /// </summary>
    /// <exception cref="NablaException">The fraction is outside [0, 1) or leaves no training rows.</exception>
    public static TrainingSet<T> Prepare<T>(LabeledTable data, double validation, RandomState rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        int[] order = validation > 0 ? rng.Permutation(data.Rows) : [.. Enumerable.Range(0, data.Rows)];
        var split = validation > 0 ? Split.TrainValidation(data.Rows, validation, order) : new SplitIndices(order, []);
        var standardizer = Standardizer.Fit(data.Features, split.Train);
        var x = (double[])data.Features.Values.Clone();
        standardizer.TransformInPlace(x);
        bool regression = data.Task == TaskKind.Regression;
        var scale = regression ? MeanStd(data.Targets, split.Train) : TargetScale.Identity;
        var targets = Array.ConvertAll(data.Targets, t => T.CreateChecked(regression ? scale.FromTarget(t) : t));
        int[]? labels = data.ClassIndices;
        return new TrainingSet<T>(Array.ConvertAll(x, T.CreateChecked), data.Features.Columns, targets, labels, split.Train, split.Validation,
            $"{data.Description}, {data.Rows} rows, contents {data.ContentHash().ToString("x16", CultureInfo.InvariantCulture)}, " +
            $"validation {validation.ToString("R", CultureInfo.InvariantCulture)}")
        {
            Standardizer = standardizer,
            TargetScale = scale,
        };
    }

    private static TargetScale MeanStd(double[] values, int[] rows)
    {
        double mean = rows.Average(r => values[r]);
        double variance = rows.Average(r => (values[r] - mean) * (values[r] - mean));
        double std = Math.Sqrt(variance);
        return new TargetScale(mean, std > 0 && double.IsFinite(std) ? std : 1.0);
    }
}
