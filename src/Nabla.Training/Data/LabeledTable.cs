using System.Globalization;
using Nabla.Rng;
using Nabla.Training;

namespace Nabla.Data;

/// <summary>
/// A <see cref="Table"/> of features with one target per row, the task and the class names: what the CSV loader, the
/// IDX loader and the built-in datasets make, and what a training run trains on. Features are as loaded (not
/// standardised); <see cref="TrainingSet.Prepare{T}"/> splits and standardises them for a trainer.
/// </summary>
public sealed class LabeledTable
{
    /// <summary>
    /// Rows of <paramref name="features"/> with one target each: a class index 0 … <paramref name="classes"/>.Count − 1
    /// (stored as a double) for a classification, a real value for a regression.
    /// </summary>
    /// <exception cref="ArgumentException">The target count differs from the row count, a regression has class names,
    /// or a class target is not a whole number in [0, classes).</exception>
    public LabeledTable(Table features, double[] targets, TaskKind task, IReadOnlyList<string> classes, string targetName)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(targetName);
        if (!Enum.IsDefined(task)) throw new ArgumentOutOfRangeException(nameof(task), task, "not a task");
        if (targets.Length != features.Rows)
            throw new ArgumentException($"{features.Rows} feature rows but {targets.Length} targets", nameof(targets));
        if (task == TaskKind.Regression && classes.Count > 0)
            throw new ArgumentException("a regression has no classes", nameof(classes));
        if (task == TaskKind.Classification && targets.Any(t => !(t >= 0 && t < classes.Count && t == Math.Floor(t))))
            throw new ArgumentException($"class targets must be whole numbers in [0, {classes.Count})", nameof(targets));
        Features = features;
        Targets = targets;
        Task = task;
        Classes = classes;
        TargetName = targetName;
        Description = targetName;
    }

    /// <summary>The feature columns, as loaded.</summary>
    public Table Features { get; }

    /// <summary>One target per row: a class index, or a real value for regression.</summary>
    public double[] Targets { get; }

    /// <summary>Classification or regression.</summary>
    public TaskKind Task { get; }

    /// <summary>Label text of each class index, so <c>Classes[k]</c> names class k (empty for regression).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The target column's name.</summary>
    public string TargetName { get; }

    /// <summary>Where the data came from, e.g. <c>moons (200 samples, noise 0.1, seed 0)</c>.</summary>
    public string Description { get; init; }

    /// <summary>Why the data is a classification or a regression, for the run's header, e.g. "'label' holds 2 distinct whole numbers (0, 1)".</summary>
    public string TaskReason
    {
        get => field ?? (Task == TaskKind.Classification ? $"'{TargetName}' holds {Classes.Count} classes" : $"'{TargetName}' holds values");
        init;
    }

    /// <summary>The shape of one image when every row holds an image's pixels (row-major C·H·W), otherwise null.</summary>
    public ImageShape? Image
    {
        get;
        init
        {
            value?.CheckColumns(Features.Columns, Description);
            field = value;
        }
    }

    /// <summary>The number of rows.</summary>
    public int Rows => Features.Rows;

    /// <summary>The class index of each row, or null for a regression.</summary>
    public int[]? ClassIndices => Task == TaskKind.Classification ? Array.ConvertAll(Targets, t => (int)t) : null;

    /// <summary>The same rows with another description and reason for the task.</summary>
    public LabeledTable Describe(string description, string? taskReason = null) =>
        new(Features, Targets, Task, Classes, TargetName) { Description = description, TaskReason = taskReason ?? TaskReason, Image = Image };

    /// <summary>
    /// The same rows read as images of <paramref name="shape"/>: each row's columns are one image's pixels, channel by
    /// channel, row by row. Throws when the column count is not C·H·W.
    /// </summary>
    public LabeledTable AsImages(ImageShape shape) =>
        new(Features, Targets, Task, Classes, TargetName) { Description = Description, TaskReason = TaskReason, Image = shape };

    /// <summary>
    /// Images and labels from a pair of IDX files (MNIST's <c>train-images-idx3-ubyte</c> and
    /// <c>train-labels-idx1-ubyte</c>, gzip-compressed or not), a classification into classes 0 … max label.
    /// </summary>
    public static LabeledTable FromIdx(string imagesPath, string labelsPath)
    {
        var set = IdxImages.Load(imagesPath, labelsPath);
        string description = $"{Path.GetFileName(imagesPath)} ({set.Rows} images of {set.Image})";
        return set.Describe(description, $"{Path.GetFileName(labelsPath)} holds {set.Classes.Count} classes");
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
    public static LabeledTable FromDataset(string name, int samples, double noise, uint seed)
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
        return set.Describe(description, set.Task == TaskKind.Classification ? $"the {name} dataset has {set.Classes.Count} classes" : $"the {name} dataset's target is a value");
    }

    /// <summary>
    /// A CSV file with a header; <paramref name="target"/> names the label column. <paramref name="task"/> null
    /// decides from the target (<see cref="TargetKind.Detect"/>): text, or a few distinct whole numbers, make a
    /// classification, anything else a regression. A classifier's labels become class indices (integer labels ordered
    /// by value, others by text). The field separator is <paramref name="separator"/>, or when null the one the header
    /// line shows (<see cref="CsvSeparator.Detect"/>).
    /// </summary>
    /// <exception cref="TaskMismatchException">The target does not fit the task asked for (text to regress, too many values to classify).</exception>
    public static LabeledTable FromCsv(string path, string target, IReadOnlyList<string>? features, TaskKind? task, bool dropMissing, char? separator = null)
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
        var kind = TargetKind.Detect(target, csv.Classes);
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
        int droppedRows = csv.Features.DroppedLines.Count;
        string dropped = droppedRows > 0 ? $", {droppedRows} rows with missing values dropped" : "";
        string description = $"{Path.GetFileName(path)} ({csv.Rows} rows{dropped})";
        if (decided == TaskKind.Classification) return csv.Describe(description, reason);
        var values = csv.Classes.Select(TargetKind.Number).ToArray();
        return new LabeledTable(csv.Features, Array.ConvertAll(csv.Targets, t => values[(int)t]), TaskKind.Regression, [], target)
            { Description = description, TaskReason = reason };
    }
}
