using System.Globalization;
using Nabla.Data;
using Nabla.Rng;

namespace Nabla.Training;

/// <summary>What a model learns to predict: class indices, or a real value.</summary>
public enum TaskKind { Classification, Regression }

/// <summary>
/// Rows of features with one target each, from a built-in dataset or a CSV file: what <c>nabla train</c>
/// trains on. Features are as loaded (not standardised); classes keep their label text for predictions.
/// </summary>
public sealed class TrainingData
{
    public TrainingData(DataTable features, double[] targets, TaskKind task, IReadOnlyList<string> classes, string targetName, string description)
    {
        if (targets.Length != features.Rows)
            throw new NablaException($"{features.Rows} feature rows but {targets.Length} targets");
        Features = features;
        Targets = targets;
        Task = task;
        Classes = classes;
        TargetName = targetName;
        Description = description;
    }

    public DataTable Features { get; }
    public double[] Targets { get; }
    public TaskKind Task { get; }

    /// <summary>Label text of each class index (empty for regression).</summary>
    public IReadOnlyList<string> Classes { get; }

    public string TargetName { get; }

    /// <summary>Where the data came from, e.g. <c>moons (200 samples, noise 0.1, seed 0)</c>.</summary>
    public string Description { get; }

    public int Rows => Features.Rows;

    /// <summary>
    /// A 64-bit FNV-1a hash of the column names, every feature and target value (their bits) and the class labels,
    /// so a checkpoint can tell that a file with the same name and size now holds other data.
    /// </summary>
    public ulong ContentHash()
    {
        ulong hash = 14695981039346656037;
        void Add(ulong v)
        {
            for (int i = 0; i < 8; i++, v >>= 8) hash = (hash ^ (v & 0xff)) * 1099511628211;
        }
        foreach (var name in Features.ColumnNames.Append(TargetName).Concat(Classes))
            foreach (char c in name + "\u0000") Add(c);
        foreach (double v in Features.Values) Add((ulong)BitConverter.DoubleToInt64Bits(v));
        foreach (double v in Targets) Add((ulong)BitConverter.DoubleToInt64Bits(v));
        return hash;
    }

    /// <summary>The built-in datasets <see cref="FromDataset"/> knows.</summary>
    public static readonly string[] DatasetNames = ["moons", "circles", "spirals", "xor", "sine"];

    /// <summary>A built-in dataset, generated in code from the NumPy-exact generator seeded with <paramref name="seed"/>.</summary>
    public static TrainingData FromDataset(string name, int samples, double noise, uint seed)
    {
        if (samples < 4) throw new NablaException($"--samples must be at least 4, not {samples}");
        if (noise < 0 || !double.IsFinite(noise)) throw new NablaException($"--noise must be a finite number ≥ 0, not {noise}");
        var rng = new RandomState(seed);
        var set = name switch
        {
            "moons" => Datasets.Moons(samples, noise, rng),
            "circles" => Datasets.Circles(samples, noise, 0.5, rng),
            "spirals" => Datasets.Spirals(Math.Max(2, samples / 3), 3, rng),
            "xor" => Datasets.Xor(samples, noise, rng),
            "sine" => Datasets.Sine(samples, noise, rng),
            _ => throw new NablaException($"unknown dataset '{name}' (known: {string.Join(", ", DatasetNames)})"),
        };
        var classes = set.IsClassification
            ? Enumerable.Range(0, set.Classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray()
            : [];
        // The spiral recipe has its own fixed noise; the others take --noise.
        string noiseText = name == "spirals" ? "" : $", noise {noise.ToString(CultureInfo.InvariantCulture)}";
        string description = $"{name} ({set.Rows} samples{noiseText}, seed {seed})";
        return new TrainingData(new DataTable(set.FeatureNames, set.Features), set.Targets,
            set.IsClassification ? TaskKind.Classification : TaskKind.Regression, classes, set.TargetName, description);
    }

    /// <summary>
    /// A CSV file with a header; <paramref name="target"/> names the label column. A classifier's labels
    /// become class indices (integer labels ordered by value, others by text).
    /// </summary>
    public static TrainingData FromCsv(string path, string target, IReadOnlyList<string>? features, TaskKind task, bool dropMissing)
    {
        CsvData csv;
        try
        {
            csv = CsvLoader.Load(path, new CsvOptions
            {
                Target = target,
                Features = features,
                ClassTarget = task == TaskKind.Classification,
                MissingValues = dropMissing ? MissingValues.Drop : MissingValues.Reject,
            });
        }
        catch (NablaException e) when (task == TaskKind.Regression && e.Message.Contains($"(\"{target}\"): ", StringComparison.Ordinal))
        {
            // Text in the target column of a regression usually means class labels and a forgotten --loss.
            throw new NablaException($"{e.Message}; if '{target}' holds class labels, train a classifier with --loss ce (or bce for two classes)", e);
        }
        string dropped = csv.DroppedRows > 0 ? $", {csv.DroppedRows} rows with missing values dropped" : "";
        return new TrainingData(csv.Features, csv.Targets!, task, csv.Classes ?? [], target,
            $"{Path.GetFileName(path)} ({csv.Rows} rows{dropped})");
    }
}
