using System.Globalization;

namespace Nabla.Training;

/// <summary>What a model learns to predict: class indices, or a real value.</summary>
public enum TaskKind
{
    /// <summary>Each target is a class index.</summary>
    Classification,

    /// <summary>Each target is a real value.</summary>
    Regression,
}

/// <summary>
/// What a target column holds, read from its distinct values, and the task that suits it: text, or at most
/// <see cref="MaxAutoClasses"/> distinct whole numbers (0/1, 1–5 stars, digits), make a classification; any other
/// numbers a regression.
/// </summary>
public sealed record TargetKind(TaskKind Suggested, string Reason, int Classes, bool AllNumbers, bool MostlyNumbers)
{
    /// <summary>The most distinct whole numbers that are taken for classes without being asked.</summary>
    public const int MaxAutoClasses = 10;

    /// <summary>The most classes a classifier may have (its output layer has one neuron per class).</summary>
    public const int MaxClasses = 1000;

    /// <summary>Reads the distinct <paramref name="labels"/> of the column <paramref name="target"/>.</summary>
    public static TargetKind Detect(string target, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int numbers = 0, whole = 0;
        string? firstText = null;
        foreach (var label in labels)
        {
            if (TryNumber(label, out double v))
            {
                numbers++;
                if (v == Math.Floor(v) && Math.Abs(v) < 1e15) whole++;
            }
            else firstText ??= label;
        }
        int n = labels.Count;
        bool allNumbers = numbers == n, mostly = numbers * 2 > n;
        if (!allNumbers)
            return new(TaskKind.Classification, $"'{target}' holds text labels such as \"{firstText}\"", n, false, mostly);
        if (whole == n && n <= MaxAutoClasses)
        {
            string list = n <= 6 ? string.Join(", ", labels) : $"{labels[0]} … {labels[^1]}";
            return new(TaskKind.Classification, $"'{target}' holds {n} distinct whole numbers ({list})", n, true, true);
        }
        string what = whole == n ? $"{n} distinct whole numbers, more than {MaxAutoClasses}" : $"{n} distinct numbers";
        return new(TaskKind.Regression, $"'{target}' holds {what}", n, true, true);
    }

    /// <summary>A label as a number (it must be one; see <see cref="AllNumbers"/>).</summary>
    public static double Number(string label) =>
        TryNumber(label, out double v) ? v : throw new NablaException($"the target value \"{label}\" is not a number");

    private static bool TryNumber(string label, out double value) =>
        double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

/// <summary>The target does not fit the task asked for; <see cref="Suggested"/> is the one that would.</summary>
public sealed class TaskMismatchException(string message, TaskKind suggested) : NablaException(message)
{
    /// <summary>The task the target fits.</summary>
    public TaskKind Suggested { get; } = suggested;
}
