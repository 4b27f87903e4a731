using System.Globalization;

namespace Nabla.Data;

/// <summary>Maps class label text to class indices 0..K−1 in an order that does not depend on the row order.</summary>
public static class CsvClassLabels
{
    /// <summary>
    /// The distinct labels of <paramref name="labels"/> in class-index order: when every label is an integer
    /// (invariant culture, optional sign) they are sorted by value, so "2", "10", "-1" become classes of −1, 2, 10;
    /// otherwise they are sorted ordinally ("Setosa" before "setosa"). Ties in value ("1", "01") are broken ordinally.
    /// </summary>
    public static string[] Order(IEnumerable<string> labels)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).ToArray();
        var numbers = new long[distinct.Length];
        var allIntegers = true;
        for (var i = 0; i < distinct.Length && allIntegers; i++)
            allIntegers = long.TryParse(distinct[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out numbers[i]);
        var order = Enumerable.Range(0, distinct.Length);
        var sorted = allIntegers
            ? order.OrderBy(i => numbers[i]).ThenBy(i => distinct[i], StringComparer.Ordinal)
            : order.OrderBy(i => distinct[i], StringComparer.Ordinal);
        return sorted.Select(i => distinct[i]).ToArray();
    }
}
