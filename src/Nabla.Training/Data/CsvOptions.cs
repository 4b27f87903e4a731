namespace Nabla.Data;

/// <summary>What <see cref="CsvLoader"/> does with a data row that has an empty cell in a column it reads.</summary>
public enum MissingValues
{
    /// <summary>Stop with an error naming the line and column (the default).</summary>
    Reject,
    /// <summary>Skip the row and count it in <see cref="Table.DroppedLines"/>.</summary>
    Drop,
}

/// <summary>How <see cref="CsvLoader"/> reads a CSV file. Column names are matched ordinally (case-sensitive).</summary>
public sealed class CsvOptions
{
    /// <summary>The target column's name, or null for a file with features only (for example for prediction).</summary>
    public string? Target { get; init; }

    /// <summary>The feature columns, in the order wanted; null means every column except the target, in file order.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>What to do with a row that has an empty cell in a feature or target column. Other columns are not read.</summary>
    public MissingValues MissingValues { get; init; } = MissingValues.Reject;

    /// <summary>
    /// When true, target cells are class labels (any text, trimmed) mapped to class indices 0..K−1 instead of being
    /// parsed as numbers; see <see cref="LabeledTable.Classes"/>.
    /// </summary>
    public bool ClassTarget { get; init; }

    /// <summary>
    /// With <see cref="ClassTarget"/>: the classes, in index order, that labels must come from (for example those a
    /// model was trained on). Null means the classes are the distinct labels found in the file.
    /// </summary>
    public IReadOnlyList<string>? KnownClasses { get; init; }

    /// <summary>
    /// The field separator; null (the default) detects it from the header line as <see cref="CsvSeparator.Detect"/> does:
    /// comma, semicolon or tab.
    /// </summary>
    public char? Separator { get; init; }
}
