namespace Nabla.Data;

/// <summary>
/// A rectangular table of doubles with named columns, stored row-major: element (r, c) is
/// <c>Values[r * Columns + c]</c>. A <see cref="LabeledTable"/> adds a target per row.
/// </summary>
public sealed class Table
{
    private readonly string[] _columnNames;

    /// <summary>A table over <paramref name="values"/> (not copied), whose length must be a multiple of the column count.</summary>
    /// <exception cref="ArgumentException">No columns, or the value count is not a multiple of the column count.</exception>
    public Table(IReadOnlyList<string> columnNames, double[] values)
    {
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(values);
        if (columnNames.Count == 0)
            throw new ArgumentException("a table needs at least one column", nameof(columnNames));
        if (values.Length % columnNames.Count != 0)
            throw new ArgumentException($"{values.Length} values do not fill rows of {columnNames.Count} columns", nameof(values));
        _columnNames = [.. columnNames];
        Values = values;
    }

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> ColumnNames => _columnNames;

    /// <summary>The number of columns.</summary>
    public int Columns => _columnNames.Length;

    /// <summary>The number of rows.</summary>
    public int Rows => Values.Length / _columnNames.Length;

    /// <summary>All values, row-major.</summary>
    public double[] Values { get; }

    /// <summary>
    /// The 1-based line of the source file on which each row starts (the header is line 1), so messages can point at
    /// it; empty for a table not read from a file.
    /// </summary>
    public IReadOnlyList<int> Lines { get; init; } = [];

    /// <summary>The 1-based lines of the rows skipped while reading for missing values (<see cref="MissingValues.Drop"/>).</summary>
    public IReadOnlyList<int> DroppedLines { get; init; } = [];

    /// <summary>The value in row <paramref name="row"/>, column <paramref name="column"/> (both 0-based).</summary>
    public double this[int row, int column]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(column);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns);
            return Values[row * Columns + column];
        }
    }

    /// <summary>The values of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(row * Columns, Columns);

    /// <summary>A copy of column <paramref name="column"/>.</summary>
    public double[] Column(int column)
    {
        var result = new double[Rows];
        for (var r = 0; r < result.Length; r++) result[r] = this[r, column];
        return result;
    }

    /// <summary>The 0-based index of the column called <paramref name="name"/> (ordinal match), or −1.</summary>
    public int IndexOf(string name) => Array.IndexOf(_columnNames, name);

    /// <summary>A new table holding the rows <paramref name="rows"/>, in that order (repeats allowed).</summary>
    public Table SelectRows(ReadOnlySpan<int> rows)
    {
        var values = new double[rows.Length * Columns];
        var lines = Lines.Count == Rows ? new int[rows.Length] : [];
        for (var i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(values.AsSpan(i * Columns, Columns));
            if (lines.Length > 0) lines[i] = Lines[rows[i]];
        }
        return new Table(_columnNames, values) { Lines = lines };
    }
}
