using System.Globalization;
using CsvHelper;
using Nabla.IO;

namespace Nabla.Data;

/// <summary>The cells of the current record of a <see cref="CsvReader"/>, parsed with error messages that locate them.</summary>
internal readonly struct CsvCells(CsvReader csv, string[] header, string source, long line)
{
    /// <summary>Whether the cell in column <paramref name="column"/> is empty or whitespace.</summary>
    public bool IsEmpty(int column) => csv.GetString(column).AsSpan().Trim().IsEmpty;

    /// <summary>The cell as a finite double (invariant culture, surrounding whitespace allowed).</summary>
    public double Number(int column)
    {
        var text = csv.GetString(column);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new NablaException($"{Where(column)}: \"{Excerpt.Of(text)}\" is not a number");
        if (!double.IsFinite(value))
            throw new NablaException($"{Where(column)}: \"{Excerpt.Of(text)}\" is not a finite number");
        return value;
    }

    /// <summary>The cell as a class label (trimmed), checked against <paramref name="known"/> when given.</summary>
    public string Label(int column, IReadOnlyList<string>? known)
    {
        var label = csv.GetString(column).Trim();
        if (known is not null && !known.Contains(label))
            throw new NablaException(
                $"{Where(column)}: class \"{Excerpt.Of(label)}\" is not one of the known classes {string.Join(", ", known.Select(k => $"\"{Excerpt.Of(k)}\""))}");
        return label;
    }

    /// <summary>
    /// <c>file:line: column c ("name")</c> for the cell in 0-based <paramref name="column"/>, where line is the line
    /// on which the cell starts: the record's first line plus the line breaks inside earlier quoted fields.
    /// </summary>
    public string Where(int column)
    {
        var cellLine = line;
        for (var j = 0; j < column; j++) cellLine += LineBreaks(csv.GetRawSpan(j));
        return $"{source}:{cellLine}: column {column + 1} (\"{Excerpt.Of(header[column])}\")";
    }

    /// <summary>CR, LF and CR LF each count as one line break.</summary>
    private static int LineBreaks(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n') count++;
            else if (utf8[i] == (byte)'\r' && (i + 1 == utf8.Length || utf8[i + 1] != (byte)'\n')) count++;
        }
        return count;
    }
}
