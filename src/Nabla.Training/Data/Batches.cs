namespace Nabla.Data;

/// <summary>Mini-batches over an order of rows: consecutive slices of <c>batchSize</c>, the last one possibly shorter.</summary>
public static class Batches
{
    /// <summary>The number of batches: ⌈rows / batchSize⌉ (0 for no rows).</summary>
    public static int Count(int rows, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return (int)(((long)rows + batchSize - 1) / batchSize);
    }

    /// <summary>The position ranges [k·batchSize, min((k+1)·batchSize, count)) for k = 0, 1, …; the last partial batch is kept.</summary>
    public static IEnumerable<Range> Ranges(int count, int batchSize)
    {
        var batches = Count(count, batchSize);
        for (var k = 0; k < batches; k++)
        {
            var start = k * batchSize;
            yield return new Range(start, Math.Min(start + batchSize, count));
        }
    }

    /// <summary>The row indices of each batch: consecutive slices of <paramref name="order"/> (not copied).</summary>
    public static IEnumerable<ArraySegment<int>> Over(int[] order, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(order);
        foreach (var range in Ranges(order.Length, batchSize))
        {
            var (offset, length) = range.GetOffsetAndLength(order.Length);
            yield return new ArraySegment<int>(order, offset, length);
        }
    }

    /// <summary>
    /// Copies rows <paramref name="rows"/> of the row-major <paramref name="source"/> (with <paramref name="columns"/>
    /// columns) into <paramref name="destination"/>, one after another.
    /// </summary>
    public static void Gather(ReadOnlySpan<double> source, int columns, ReadOnlySpan<int> rows, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (destination.Length < rows.Length * columns)
            throw new ArgumentException($"the destination holds {destination.Length} values, {rows.Length} rows of {columns} need {rows.Length * columns}", nameof(destination));
        for (var i = 0; i < rows.Length; i++)
            source.Slice(rows[i] * columns, columns).CopyTo(destination.Slice(i * columns, columns));
    }
}
