using System.Globalization;
using System.Numerics;
using Nabla.Data;
using Nabla.Tensors;
using Nabla.Training.Metrics;

namespace Nabla.Training;

/// <summary>
/// Where a <see cref="Trainer{T}"/> gets its samples: a training part it shuffles and walks in mini-batches, and an
/// optional validation part it evaluates after each epoch. Rows are numbered 0 … count − 1 within each part.
/// </summary>
public interface ITrainingSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of training samples (at least 1).</summary>
    int TrainingRows { get; }

    /// <summary>The number of validation samples (0 for none).</summary>
    int ValidationRows { get; }

    /// <summary>The training samples <paramref name="rows"/>, in that order, as one batch.</summary>
    Batch<T> TrainingBatch(ReadOnlySpan<int> rows);

    /// <summary>The validation samples <paramref name="rows"/>, in that order, as one batch.</summary>
    Batch<T> ValidationBatch(ReadOnlySpan<int> rows);

    /// <summary>
    /// A text that changes whenever the samples do (a content hash, a file name and size …); a checkpoint stores it,
    /// so resuming on other data is refused instead of silently continuing a different run.
    /// </summary>
    string Fingerprint { get; }
}

/// <summary>
/// Samples held in memory, row-major: <c>inputs[r * features …]</c> is sample r's input, <c>targets[r]</c> its target
/// (a value, or the class index as a number) and <c>labels[r]</c> its class index (null for a regression). Two lists
/// of sample indices say which samples train and which validate.
/// </summary>
public sealed class TrainingSet<T> : ITrainingSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _inputs, _targets;
    private readonly int[]? _labels;
    private readonly int[] _train, _validation;

    /// <summary>Wraps the arrays (not copied) after checking that their lengths and indices agree.</summary>
    /// <exception cref="NablaException">The lengths do not match, an index is out of range, or there is no training sample.</exception>
    public TrainingSet(T[] inputs, int features, T[] targets, int[]? labels, int[] trainRows, int[] validationRows, string? fingerprint = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(trainRows);
        ArgumentNullException.ThrowIfNull(validationRows);
        if (features <= 0) throw new NablaException($"a training set needs at least one feature per sample, got {features}");
        int samples = targets.Length;
        if (inputs.Length != (long)samples * features)
            throw new NablaException($"{inputs.Length} input values do not make {samples} samples of {features} features");
        if (labels is not null && labels.Length != samples)
            throw new NablaException($"{labels.Length} class labels for {samples} samples");
        if (trainRows.Length == 0) throw new NablaException("a training set needs at least one training sample");
        foreach (int r in trainRows.Concat(validationRows))
            if ((uint)r >= (uint)samples) throw new NablaException($"sample index {r} is outside 0 … {samples - 1}");
        (_inputs, _targets, _labels, _train, _validation, Features) = (inputs, targets, labels, trainRows, validationRows, features);
        Fingerprint = fingerprint ?? DefaultFingerprint();
    }

    /// <summary>Values per sample's input.</summary>
    public int Features { get; }

    /// <inheritdoc/>
    public int TrainingRows => _train.Length;

    /// <inheritdoc/>
    public int ValidationRows => _validation.Length;

    /// <summary>The sample index of each training row.</summary>
    public IReadOnlyList<int> TrainIndices => _train;

    /// <summary>The sample index of each validation row.</summary>
    public IReadOnlyList<int> ValidationIndices => _validation;

    /// <inheritdoc/>
    public string Fingerprint { get; }

    /// <summary>The feature standardisation the inputs went through (<see cref="TrainingSet.Prepare{T}"/>), or null when they were given as they are.</summary>
    public Standardizer? Standardizer { get; init; }

    /// <summary>How a regression output maps back to the target's units (identity for a classifier or targets given as they are).</summary>
    public TargetScale TargetScale { get; init; } = TargetScale.Identity;

    /// <inheritdoc/>
    public Batch<T> TrainingBatch(ReadOnlySpan<int> rows) => Gather(_train, rows);

    /// <inheritdoc/>
    public Batch<T> ValidationBatch(ReadOnlySpan<int> rows) => Gather(_validation, rows);

    private Batch<T> Gather(int[] part, ReadOnlySpan<int> rows)
    {
        int n = rows.Length, columns = Features;
        var x = GC.AllocateUninitializedArray<T>(n * columns);
        var y = GC.AllocateUninitializedArray<T>(n);
        var labels = _labels is null ? null : GC.AllocateUninitializedArray<int>(n);
        for (int r = 0; r < n; r++)
        {
            int sample = part[rows[r]];
            _inputs.AsSpan(sample * columns, columns).CopyTo(x.AsSpan(r * columns, columns));
            y[r] = _targets[sample];
            if (labels is not null) labels[r] = _labels![sample];
        }
        return new Batch<T>(new Tensor<T>(x, n, columns), new Tensor<T>(y, n, 1), labels);
    }

    // FNV-1a over the bits of every value and index, so other samples or another split give another text.
    private string DefaultFingerprint()
    {
        ulong hash = 14695981039346656037;
        void Add(ulong v)
        {
            for (int i = 0; i < 8; i++, v >>= 8) hash = (hash ^ (v & 0xff)) * 1099511628211;
        }
        foreach (var v in _inputs) Add((ulong)BitConverter.DoubleToInt64Bits(double.CreateChecked(v)));
        foreach (var v in _targets) Add((ulong)BitConverter.DoubleToInt64Bits(double.CreateChecked(v)));
        foreach (int i in _train) Add((ulong)i);
        Add(ulong.MaxValue);
        foreach (int i in _validation) Add((ulong)i);
        return $"{_targets.Length} samples × {Features}, {_train.Length} training, hash {hash.ToString("x16", CultureInfo.InvariantCulture)}";
    }
}
