using System.Globalization;
using System.Text;
using Nabla.Examples;

namespace Nabla.Explain.Attention;

/// <summary>
/// Small matrices printed side by side under their titles, for explanations a learner reads:
/// <code>
/// S = Q·Kᵀ/√2               P = softmax(S)
/// [ 0.7071  1.4142  -0.7071 ]   [ 0.3057  0.6200  0.0743 ]
/// </code>
/// A matrix of whole numbers with more than one column (an input) is printed without decimals; otherwise (and always for
/// a column, which holds sums that are whole only up to rounding) every entry has <see cref="Decimals"/> of them, except
/// an exact 0 (printed "0") and −∞ ("-∞"), so a zero that is exact stands out from one that is rounded.
/// </summary>
public static class MatrixBlock
{
    /// <summary>Fractional digits of a matrix that is not all whole numbers.</summary>
    public const int Decimals = 4;

    /// <summary>One entry as printed: "-∞", "0", or <paramref name="decimals"/> fractional digits.</summary>
    public static string Cell(double v, int decimals = Decimals)
    {
        if (double.IsNaN(v)) return "NaN";
        if (double.IsInfinity(v)) return v > 0 ? "∞" : "-∞";
        if (v == 0) return "0";
        string text = v.ToString("F" + decimals, CultureInfo.InvariantCulture);
        // A tiny rounding residue (a row of dS summing to 1e-17) reads "0.0000", not "-0.0000": its sign is noise.
        return text.TrimStart('-').Trim('0', '.').Length == 0 ? text.TrimStart('-') : text;
    }

    /// <summary>A vector as one line: "[0.3057, 0.6200, 0.0743]".</summary>
    public static string Vector(IEnumerable<double> values) => "[" + string.Join(", ", values.Select(v => Cell(v))) + "]";

    /// <summary>A vector as a one-column matrix, to stand beside the matrices it belongs to.</summary>
    public static Matrix Column(double[] values) => new(values.Length, 1, values);

    /// <summary>The lines of <paramref name="blocks"/> side by side, each indented by <paramref name="indent"/>; every matrix has as many rows as the first.</summary>
    public static IEnumerable<string> SideBySide(string indent, params (string Title, Matrix Matrix)[] blocks)
    {
        var columns = blocks.Select(b => Lines(b.Title, b.Matrix)).ToArray();
        int height = columns.Max(c => c.Length);
        for (int line = 0; line < height; line++)
        {
            var s = new StringBuilder(indent);
            for (int b = 0; b < columns.Length; b++)
            {
                string text = line < columns[b].Length ? columns[b][line] : "";
                bool last = b == columns.Length - 1;
                s.Append(last ? text : text.PadRight(columns[b].Max(l => l.Length) + 4));
            }
            yield return s.ToString().TrimEnd();
        }
    }

    // The title, then one "[ a  b ]" line per row; entries right-aligned per matrix with the decimal points lined up.
    private static string[] Lines(string title, Matrix m)
    {
        bool whole = m.Columns > 1 && m.Values.All(v => !double.IsFinite(v) || v == Math.Floor(v));
        var cells = m.Values.Select(v => whole ? Whole(v) : Cell(v)).ToArray();
        // "0" and "-∞" end where the others' units digit is: pad them on the right by the decimals and the point.
        int tail = whole ? 0 : Decimals + 1;
        for (int e = 0; e < cells.Length; e++)
            if (!cells[e].Contains('.', StringComparison.Ordinal)) cells[e] += new string(' ', tail);
        int width = cells.Max(c => c.Length);
        var lines = new string[m.Rows + 1];
        lines[0] = title;
        for (int i = 0; i < m.Rows; i++)
            lines[i + 1] = "[ " + string.Join("  ", Enumerable.Range(0, m.Columns).Select(j => cells[i * m.Columns + j].PadLeft(width))) + " ]";
        return lines;
    }

    private static string Whole(double v) => double.IsFinite(v) ? (v == 0 ? "0" : v.ToString("F0", CultureInfo.InvariantCulture)) : Cell(v);
}
