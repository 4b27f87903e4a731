using System.Globalization;
using Nabla.Data;
using Nabla.Rng;

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
/// Rows of features with one target each, from a built-in dataset or a CSV file: what <c>nabla train</c>
/// trains on. Features are as loaded (not standardised); classes keep their label text for predictions.
/// </summary>
public sealed class TrainingData
{
    /// <summary>Rows of <paramref name="features"/> with one target each; throws when the counts differ. Without <paramref name="taskReason"/> a reason is written from the task and class count.</summary>
    public TrainingData(DataTable features, double[] targets, TaskKind task, IReadOnlyList<string> classes, string targetName, string description,
        string? taskReason = null)
    {
        if (targets.Length != features.Rows)
            throw new NablaException($"{features.Rows} feature rows but {targets.Length} targets");
        Features = features;
        Targets = targets;
        Task = task;
        Classes = classes;
        TargetName = targetName;
        Description = description;
        TaskReason = taskReason ?? (task == TaskKind.Classification ? $"'{targetName}' holds {classes.Count} classes" : $"'{targetName}' holds values");
    }

    /// <summary>Why the data is a classification or a regression, for the run's header, e.g. "'label' holds 2 distinct whole numbers (0, 1)".</summary>
    public string TaskReason { get; }

    /// <summary>The feature columns, as loaded.</summary>
    public DataTable Features { get; }
    /// <summary>One target per row: a class index, or a real value for regression.</summary>
    public double[] Targets { get; }
    /// <summary>Classification or regression.</summary>
    public TaskKind Task { get; }

    /// <summary>Label text of each class index (empty for regression).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The target column's name.</summary>
    public string TargetName { get; }

    /// <summary>Where the data came from, e.g. <c>moons (200 samples, noise 0.1, seed 0)</c>.</summary>
    public string Description { get; }

    /// <summary>The number of rows.</summary>
    public int Rows => Features.Rows;

    /// <summary>The shape of one image when every row holds an image's pixels (row-major C·H·W), otherwise null.</summary>
    public ImageShape? Image { get; private init; }

    /// <summary>
    /// The same rows read as images of <paramref name="shape"/>: each row's columns are one image's pixels, channel by
    /// channel, row by row. Throws when the column count is not C·H·W.
    /// </summary>
    public TrainingData AsImages(ImageShape shape)
    {
        shape.CheckColumns(Features.Columns, Description);
        return new TrainingData(Features, Targets, Task, Classes, TargetName, Description, TaskReason) { Image = shape };
    }

    /// <summary>
    /// Images and labels from a pair of IDX files (MNIST's <c>train-images-idx3-ubyte</c> and
    /// <c>train-labels-idx1-ubyte</c>, gzip-compressed or not), a classification into classes 0 … max label.
    /// </summary>
    public static TrainingData FromIdx(string imagesPath, string labelsPath)
    {
        var (set, shape) = IdxImages.Load(imagesPath, labelsPath);
        string description = $"{Path.GetFileName(imagesPath)} ({set.Rows} images of {shape})";
        return FromSet(set, description, $"{Path.GetFileName(labelsPath)} holds {set.Classes} classes").AsImages(shape);
    }

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
    public static readonly string[] DatasetNames = ["moons", "circles", "spirals", "xor", "sine", "shapes"];

    /// <summary>The noise level of each built-in dataset when none is asked for.</summary>
    public static double DefaultNoise(string dataset) => dataset == "shapes" ? ShapesNoise : 0.1;

    private const double ShapesNoise = 0.3;
    private const int ShapesSize = 16;

    /// <summary>A built-in dataset, generated in code from the NumPy-exact generator seeded with <paramref name="seed"/>.</summary>
    public static TrainingData FromDataset(string name, int samples, double noise, uint seed)
    {
        if (samples < 4) throw new NablaException($"a built-in dataset needs at least 4 samples, not {samples}");
        if (noise < 0 || !double.IsFinite(noise)) throw new NablaException($"a dataset's noise must be a finite number ≥ 0, not {noise}");
        var rng = new RandomState(seed);
        var set = name switch
        {
            "moons" => Datasets.Moons(samples, noise, rng),
            "circles" => Datasets.Circles(samples, noise, 0.5, rng),
            "spirals" => Datasets.Spirals(Math.Max(2, samples / 3), 3, rng),
            "xor" => Datasets.Xor(samples, noise, rng),
            "sine" => Datasets.Sine(samples, noise, rng),
            "shapes" => ShapesDataset.Create(samples, rng, ShapesSize, noise),
            _ => throw new NablaException($"unknown dataset '{name}' (known: {string.Join(", ", DatasetNames)})"),
        };
        // The spiral recipe has its own fixed noise; the others take --noise.
        string noiseText = name == "spirals" ? "" : $", noise {noise.ToString(CultureInfo.InvariantCulture)}";
        string description = $"{name} ({set.Rows} {(name == "shapes" ? $"images of 1x{ShapesSize}x{ShapesSize}" : "samples")}{noiseText}, seed {seed})";
        var data = FromSet(set, description, set.IsClassification ? $"the {name} dataset has {set.Classes} classes" : $"the {name} dataset's target is a value",
            name == "shapes" ? ShapesDataset.ClassNames : null);
        return name == "shapes" ? data.AsImages(new ImageShape(1, ShapesSize, ShapesSize)) : data;
    }

    private static TrainingData FromSet(Dataset set, string description, string reason, IReadOnlyList<string>? classNames = null)
    {
        var classes = set.IsClassification
            ? classNames ?? Enumerable.Range(0, set.Classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray()
            : [];
        return new TrainingData(new DataTable(set.FeatureNames, set.Features), set.Targets,
            set.IsClassification ? TaskKind.Classification : TaskKind.Regression, classes, set.TargetName, description, reason);
    }

    /// <summary>
    /// A CSV file with a header; <paramref name="target"/> names the label column. <paramref name="task"/> null
    /// decides from the target (<see cref="TargetKind.Detect"/>): text, or a few distinct whole numbers, make a
    /// classification, anything else a regression. A classifier's labels become class indices (integer labels ordered
    /// by value, others by text). The field separator is <paramref name="separator"/>, or when null the one the header
    /// line shows (<see cref="CsvSeparator.Detect"/>).
    /// </summary>
    /// <exception cref="TaskMismatchException">The target does not fit the task asked for (text to regress, too many values to classify).</exception>
    public static TrainingData FromCsv(string path, string target, IReadOnlyList<string>? features, TaskKind? task, bool dropMissing, char? separator = null)
    {
        var options = new CsvOptions
        {
            Separator = separator,
            Target = target,
            Features = features,
            ClassTarget = true,
            MissingValues = dropMissing ? MissingValues.Drop : MissingValues.Reject,
        };
        var csv = CsvLoader.Load(path, options);
        var kind = TargetKind.Detect(target, csv.Classes!);
        var decided = task ?? kind.Suggested;
        string reason = task is null ? kind.Reason : $"asked for a {(decided == TaskKind.Classification ? "classification" : "regression")}; {kind.Reason}";
        if (decided == TaskKind.Regression && !kind.AllNumbers)
        {
            // Mostly numbers with a few bad cells is a value column with typos: the numeric load names the first bad cell.
            if (kind.MostlyNumbers) CsvLoader.Load(path, new CsvOptions { Target = target, Features = features, MissingValues = options.MissingValues, Separator = separator });
            throw new TaskMismatchException($"the target '{target}' holds text ({kind.Reason}), which cannot be regressed; train a classifier instead", TaskKind.Classification);
        }
        if (decided == TaskKind.Classification && kind.Classes > TargetKind.MaxClasses)
            throw new TaskMismatchException($"the target '{target}' has {kind.Classes} distinct values, too many for a classifier (at most {TargetKind.MaxClasses}); train a regression instead",
                TaskKind.Regression);
        string dropped = csv.DroppedRows > 0 ? $", {csv.DroppedRows} rows with missing values dropped" : "";
        string description = $"{Path.GetFileName(path)} ({csv.Rows} rows{dropped})";
        if (decided == TaskKind.Classification)
            return new TrainingData(csv.Features, csv.Targets!, TaskKind.Classification, csv.Classes!, target, description, reason);
        var values = csv.Classes!.Select(TargetKind.Number).ToArray();
        return new TrainingData(csv.Features, Array.ConvertAll(csv.Targets!, t => values[(int)t]), TaskKind.Regression, [], target, description, reason);
    }
}
