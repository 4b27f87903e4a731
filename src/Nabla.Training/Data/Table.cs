namespace Nabla.Data;

/// <summary>
/// A rectangular table of doubles with named columns, stored row-major: element (r, c) is
/// <c>Values[r * Columns + c]</c>.
/// </summary>
public sealed class DataTable
{
    private readonly string[] _columnNames;

    /// <summary>A table over <paramref name="values"/> (not copied), whose length must be a multiple of the column count.</summary>
    /// <exception cref="ArgumentException">No columns, or the value count is not a multiple of the column count.</exception>
    public DataTable(IReadOnlyList<string> columnNames, double[] values)
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
    public DataTable SelectRows(ReadOnlySpan<int> rows)
    {
        var values = new double[rows.Length * Columns];
        for (var i = 0; i < rows.Length; i++) Row(rows[i]).CopyTo(values.AsSpan(i * Columns, Columns));
        return new DataTable(_columnNames, values);
    }
}
