namespace Nabla.Data;

/// <summary>
/// A table of numeric features with one target per row: <see cref="Features"/> holds <see cref="Rows"/> ×
/// <see cref="Columns"/> values in row-major order; <see cref="Targets"/> holds one value per row — a class index
/// 0 … <see cref="Classes"/> − 1 for classification, a real number for regression.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset after checking that every length agrees.</summary>
    /// <exception cref="ArgumentException">A length disagrees with the row or column count, or a class target is out of range.</exception>
    public Dataset(double[] features, int rows, int columns, string[] featureNames, double[] targets, string targetName,
        bool isClassification, int classes)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(targetName);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != features.Length)
            throw new ArgumentException($"{rows} rows × {columns} columns need {(long)rows * columns} features, not {features.Length}.", nameof(features));
        if (featureNames.Length != columns)
            throw new ArgumentException($"{columns} columns need {columns} feature names, not {featureNames.Length}.", nameof(featureNames));
        if (targets.Length != rows)
            throw new ArgumentException($"{rows} rows need {rows} targets, not {targets.Length}.", nameof(targets));
        if (isClassification && targets.Any(t => t < 0 || t >= classes || t != Math.Floor(t)))
            throw new ArgumentException($"Class targets must be whole numbers in [0, {classes}).", nameof(targets));
        Features = features;
        Rows = rows;
        Columns = columns;
        FeatureNames = featureNames;
        Targets = targets;
        TargetName = targetName;
        IsClassification = isClassification;
        Classes = isClassification ? classes : 0;
    }

    /// <summary>The features, row-major: feature j of row i is at i · <see cref="Columns"/> + j.</summary>
    public double[] Features { get; }

    /// <summary>The number of rows (samples).</summary>
    public int Rows { get; }

    /// <summary>The number of features per row.</summary>
    public int Columns { get; }

    /// <summary>One name per column, e.g. "x1", "x2".</summary>
    public string[] FeatureNames { get; }

    /// <summary>One target per row: a class index stored as a double, or a regression value.</summary>
    public double[] Targets { get; }

    /// <summary>The target's name, e.g. "label" or "y".</summary>
    public string TargetName { get; }

    /// <summary>True when <see cref="Targets"/> are class indices.</summary>
    public bool IsClassification { get; }

    /// <summary>The number of classes for classification; 0 for regression.</summary>
    public int Classes { get; }

    /// <summary>Feature <paramref name="column"/> of row <paramref name="row"/>.</summary>
    public double this[int row, int column] => Features[row * Columns + column];
}
