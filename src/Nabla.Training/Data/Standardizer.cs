using System.Globalization;
using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// Per-feature standardisation z = (x − mean) / std, with the mean and the population standard deviation
/// (divide by n, as scikit-learn's StandardScaler) fitted on training rows only. A column that is constant on
/// those rows gets mean = that value and std = 1, so it transforms to exactly 0 and nothing divides by zero.
/// </summary>
public sealed class Standardizer
{
    private readonly double[] _means;
    private readonly double[] _stds;

    /// <summary>A standardizer with the given statistics.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, a mean is not finite, or a std is not finite and positive.</exception>
    public Standardizer(IReadOnlyList<double> means, IReadOnlyList<double> stds)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(stds);
        if (means.Count == 0 || means.Count != stds.Count)
            throw new ArgumentException($"need one mean and one std per feature, got {means.Count} means and {stds.Count} stds");
        for (var j = 0; j < means.Count; j++)
        {
            if (!double.IsFinite(means[j])) throw new ArgumentException($"mean {j} is {means[j]}, not a finite number", nameof(means));
            if (!double.IsFinite(stds[j]) || stds[j] <= 0) throw new ArgumentException($"std {j} is {stds[j]}, not a finite positive number", nameof(stds));
        }
        _means = [.. means];
        _stds = [.. stds];
    }

    /// <summary>The mean of each feature.</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>The standard deviation of each feature (1 for a constant feature).</summary>
    public IReadOnlyList<double> Stds => _stds;

    /// <summary>The number of features.</summary>
    public int Features => _means.Length;

    /// <summary>Fits on the rows <paramref name="rows"/> of <paramref name="table"/> (the training rows) only.</summary>
    /// <exception cref="NablaException"><paramref name="rows"/> is empty.</exception>
    public static Standardizer Fit(Table table, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (rows.IsEmpty) throw new NablaException("cannot fit a standardizer on 0 rows");
        var columns = table.Columns;
        var means = new double[columns];
        var stds = new double[columns];
        for (var j = 0; j < columns; j++)
        {
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (var r in rows)
            {
                var x = table[r, j];
                sum += x;
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }
            if (min == max)
            {
                means[j] = min;
                stds[j] = 1;
                continue;
            }
            (means[j], stds[j]) = MeanAndStd(table, rows, j, sum, scale: 1);
            if (!double.IsFinite(means[j]) || !double.IsFinite(stds[j]) || stds[j] == 0)
            {
                // Values near ±1e200 overflow the sum or the squares: redo the column in units of its largest magnitude.
                double scale = Math.Max(Math.Abs(min), Math.Abs(max));
                double scaledSum = 0;
                foreach (var r in rows) scaledSum += table[r, j] / scale;
                (means[j], stds[j]) = MeanAndStd(table, rows, j, scaledSum, scale);
            }
            if (!double.IsFinite(means[j]) || !double.IsFinite(stds[j]) || stds[j] <= 0)
                throw new NablaException(
                    $"column {j + 1} (\"{Excerpt.Of(table.ColumnNames[j])}\") cannot be standardised: its values from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} give mean {means[j].ToString(CultureInfo.InvariantCulture)} and standard deviation {stds[j].ToString(CultureInfo.InvariantCulture)}");
        }
        return new Standardizer(means, stds);
    }

    // The mean and population standard deviation of column j, computed on x / scale and scaled back.
    private static (double Mean, double Std) MeanAndStd(Table table, ReadOnlySpan<int> rows, int j, double sum, double scale)
    {
        var mean = sum / rows.Length;
        double squares = 0;
        foreach (var r in rows)
        {
            var d = table[r, j] / scale - mean;
            squares += d * d;
        }
        return (mean * scale, Math.Sqrt(squares / rows.Length) * scale);
    }

    /// <summary>Fits on every row of <paramref name="table"/>.</summary>
    public static Standardizer Fit(Table table) =>
        Fit(table, Enumerable.Range(0, table.Rows).ToArray());

    /// <summary>Replaces each x[r, j] of the row-major <paramref name="values"/> with (x − mean[j]) / std[j].</summary>
    public void TransformInPlace(Span<double> values)
    {
        CheckWidth(values.Length);
        for (var i = 0; i < values.Length; i++) values[i] = (values[i] - _means[i % Features]) / _stds[i % Features];
    }

    /// <summary>Replaces each z[r, j] of the row-major <paramref name="values"/> with z · std[j] + mean[j].</summary>
    public void InverseTransformInPlace(Span<double> values)
    {
        CheckWidth(values.Length);
        for (var i = 0; i < values.Length; i++) values[i] = values[i] * _stds[i % Features] + _means[i % Features];
    }

    /// <summary>A standardised copy of <paramref name="table"/>, with the same column names.</summary>
    public Table Transform(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var values = (double[])table.Values.Clone();
        TransformInPlace(values);
        return new Table(table.ColumnNames, values);
    }

    /// <summary>
    /// The statistics as strings for safetensors metadata: <c>{prefix}mean</c> and <c>{prefix}std</c>, each a
    /// comma-separated list of round-trip ("R") invariant-culture numbers, so parsing gives back the same bits.
    /// </summary>
    public Dictionary<string, string> ToDictionary(string prefix = "standardizer.") => new()
    {
        [prefix + "mean"] = Join(_means),
        [prefix + "std"] = Join(_stds),
    };

    /// <summary>Reads what <see cref="ToDictionary"/> wrote.</summary>
    /// <exception cref="NablaException">A key is missing, a number does not parse, or the statistics are invalid;
    /// the message starts with <paramref name="source"/>.</exception>
    public static Standardizer FromDictionary(IReadOnlyDictionary<string, string> values, string prefix = "standardizer.", string source = "metadata")
    {
        ArgumentNullException.ThrowIfNull(values);
        var means = Parse(values, prefix + "mean", source);
        var stds = Parse(values, prefix + "std", source);
        try
        {
            return new Standardizer(means, stds);
        }
        catch (ArgumentException ex)
        {
            throw new NablaException($"{source}: invalid standardizer: {ex.Message}", ex);
        }
    }

    private static string Join(double[] values) =>
        string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static double[] Parse(IReadOnlyDictionary<string, string> values, string key, string source)
    {
        if (!values.TryGetValue(key, out var text))
            throw new NablaException($"{source}: \"{key}\" is missing, so the standardizer cannot be restored");
        var parts = text.Split(',');
        var result = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]))
                throw new NablaException($"{source}: \"{key}\" item {i + 1} is \"{parts[i]}\", not a number");
        }
        return result;
    }

    private void CheckWidth(int length)
    {
        if (length % Features != 0)
            throw new ArgumentException($"{length} values are not whole rows of {Features} features");
    }
}
