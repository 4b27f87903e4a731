namespace Nabla.Training.Metrics;

/// <summary>
/// Counts of (actual class, predicted class) pairs, and the accuracy, per-class precision and per-class recall they
/// give, as scikit-learn's <c>confusion_matrix</c>, <c>precision_score(average=None)</c> and <c>recall_score</c>
/// define them: row = actual, column = predicted.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>An empty matrix for <paramref name="classes"/> classes (at least 1).</summary>
    public ConfusionMatrix(int classes)
    {
        if (classes < 1) throw new NablaException($"a confusion matrix needs at least one class, got {classes}");
        if (classes > 1 << 14) throw new NablaException($"{classes} classes is too many for a confusion matrix (at most {1 << 14})");
        Classes = classes;
        _counts = new long[classes * classes];
    }

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>The number of samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[Index(actual) * Classes + Index(predicted)];

    /// <summary>Counts one sample.</summary>
    public void Add(int actual, int predicted)
    {
        _counts[Index(actual) * Classes + Index(predicted)]++;
        Total++;
    }

    /// <summary>Forgets every count.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Total = 0;
    }

    /// <summary>The fraction of samples on the diagonal; NaN before any sample.</summary>
    public double Accuracy
    {
        get
        {
            long diagonal = 0;
            for (int c = 0; c < Classes; c++) diagonal += this[c, c];
            return Total == 0 ? double.NaN : (double)diagonal / Total;
        }
    }

    /// <summary>Of the samples predicted as <paramref name="c"/>, the fraction that are <paramref name="c"/>; null when none was predicted as it.</summary>
    public double? Precision(int c)
    {
        long predicted = 0;
        for (int a = 0; a < Classes; a++) predicted += this[a, c];
        return predicted == 0 ? null : (double)this[c, c] / predicted;
    }

    /// <summary>Of the samples of class <paramref name="c"/>, the fraction predicted as <paramref name="c"/>; null when there is none.</summary>
    public double? Recall(int c)
    {
        long actual = 0;
        for (int p = 0; p < Classes; p++) actual += this[c, p];
        return actual == 0 ? null : (double)this[c, c] / actual;
    }

    /// <summary>The counts as rows (actual class) of columns (predicted class).</summary>
    public long[][] ToRows() =>
        [.. Enumerable.Range(0, Classes).Select(a => Enumerable.Range(0, Classes).Select(p => this[a, p]).ToArray())];

    private int Index(int c) => (uint)c < (uint)Classes ? c
        : throw new NablaException($"class index {c} is outside 0 … {Classes - 1}");
}
