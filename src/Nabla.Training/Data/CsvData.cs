namespace Nabla.Data;

/// <summary>The rows of a CSV file that <see cref="CsvLoader"/> kept: features, optional target, and where each row came from.</summary>
public sealed class CsvData
{
    internal CsvData(string source, DataTable features, string? targetName, double[]? targets,
        IReadOnlyList<string>? classes, int[] lines, int[] droppedLines)
    {
        Source = source;
        Features = features;
        TargetName = targetName;
        Targets = targets;
        Classes = classes;
        Lines = lines;
        DroppedLines = droppedLines;
    }

    /// <summary>The file name (or the name given for a reader), as used in error messages.</summary>
    public string Source { get; }

    /// <summary>The feature columns of the kept rows.</summary>
    public DataTable Features { get; }

    /// <summary>The number of kept rows.</summary>
    public int Rows => Features.Rows;

    /// <summary>The target column's name, or null when no target was requested.</summary>
    public string? TargetName { get; }

    /// <summary>
    /// One target per kept row: the number in the cell, or with <see cref="CsvOptions.ClassTarget"/> the class index
    /// (0..K−1) as a double. Null when no target was requested.
    /// </summary>
    public double[]? Targets { get; }

    /// <summary>
    /// With <see cref="CsvOptions.ClassTarget"/>: the label text of each class index, so <c>Classes[k]</c> is the label
    /// of class k. Null otherwise.
    /// </summary>
    public IReadOnlyList<string>? Classes { get; }

    /// <summary>The class indices of the kept rows, or null when the target is not a class label.</summary>
    public int[]? ClassIndices => Classes is null || Targets is null ? null : Array.ConvertAll(Targets, t => (int)t);

    /// <summary>The 1-based line (the header is line 1) where each kept row starts.</summary>
    public IReadOnlyList<int> Lines { get; }

    /// <summary>The 1-based lines of rows dropped for missing values (<see cref="MissingValues.Drop"/>).</summary>
    public IReadOnlyList<int> DroppedLines { get; }

    /// <summary>The number of rows dropped for missing values.</summary>
    public int DroppedRows => DroppedLines.Count;
}
