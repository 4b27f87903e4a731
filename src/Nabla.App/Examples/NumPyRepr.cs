using System.Text;

namespace Nabla.Examples;

/// <summary>
/// NumPy's <c>repr</c> of a 2-d float64 array as a notebook cell shows it, e.g. <c>array([[ 0.96939671, -1.17312341, ...</c>:
/// elements formatted as <see cref="NumPyFormat"/> does (one shared width, default precision 8), separated by ", ",
/// rows wrapped at 75 characters with the hanging indent the "array(" prefix adds.
/// </summary>
public static class NumPyRepr
{
    private const string Prefix = "array(";

    /// <summary>The repr text of a rows×columns matrix given in row-major order.</summary>
    public static string Format(double[] values, int rows, int columns, int precision = 8, int lineWidth = 75)
    {
        if (rows * columns != values.Length || rows == 0 || columns == 0)
            throw new ArgumentException($"{values.Length} values do not fill a non-empty {rows}×{columns} matrix", nameof(values));
        string[] words = ElementWords(values, rows, columns, precision);
        // NumPy's hanging indent skips "array(" and the outer "["; each row's skips its own "[" too.
        string indent = new(' ', Prefix.Length + 1);
        var text = new StringBuilder(Prefix).Append('[');
        for (int i = 0; i < rows; i++)
        {
            if (i > 0) text.Append(",\n").Append(indent);
            text.Append(Row(words.AsSpan(i * columns, columns), indent + " ", lineWidth - 1));
        }
        return text.Append("])").ToString();
    }

    /// <summary>One row as NumPy's <c>_formatArray</c> lays it out with separator ", " (its <c>_extendLine</c> rule).</summary>
    private static string Row(ReadOnlySpan<string> words, string hangingIndent, int width)
    {
        int elementWidth = width - 1; // room for ',' or ']'
        var s = new StringBuilder();
        string line = hangingIndent;
        for (int j = 0; j < words.Length; j++)
        {
            if (line.Length + words[j].Length > elementWidth && line.Length > hangingIndent.Length)
            {
                s.Append(line.TrimEnd()).Append('\n');
                line = hangingIndent;
            }
            line += words[j];
            if (j < words.Length - 1) line += ", ";
        }
        s.Append(line);
        return "[" + s.ToString(hangingIndent.Length, s.Length - hangingIndent.Length) + "]";
    }

    /// <summary>
    /// Each element at the shared width NumPy gives it, taken from <see cref="NumPyFormat"/>'s text of the whole array
    /// printed on unbounded lines (one row per line, elements of equal width separated by one space).
    /// </summary>
    private static string[] ElementWords(double[] values, int rows, int columns, int precision)
    {
        string[] lines = NumPyFormat.Format(values, [rows, columns], precision, int.MaxValue / 2).Split('\n');
        var words = new string[values.Length];
        for (int i = 0; i < rows; i++)
        {
            string body = lines[i][2..^(i == rows - 1 ? 2 : 1)];
            int width = (body.Length - (columns - 1)) / columns;
            for (int j = 0; j < columns; j++) words[i * columns + j] = body.Substring(j * (width + 1), width);
        }
        return words;
    }
}
