using System.Text;

namespace Nabla.Examples;

/// <summary>
/// Text exactly like NumPy's <c>print(array)</c> (<c>str</c>) for a float64 array under
/// <c>np.set_printoptions(precision=…)</c> and otherwise default options (NumPy 1.14+ style): elements share one width,
/// each value is printed with at most <c>precision</c> fractional digits and trailing zeros dropped ("maxprec"),
/// integral values end in ".", notation switches to scientific when the non-zero magnitudes reach 1e8, go below 1e-4
/// or span more than a factor 1000, rows wrap at the line width, and arrays of more than 1000 elements are summarised
/// with "..." keeping 3 items at each edge of every axis.
/// </summary>
public static class NumPyFormat
{
    private const int Threshold = 1000;
    private const int EdgeItems = 3;

    /// <summary>Formats a row-major array of the given shape, e.g. <c>[[ 0.44 -0.38]\n [ 0.88 -0.76]]</c>.</summary>
    /// <param name="data">The elements in row-major (C) order.</param>
    /// <param name="shape">The dimensions; an empty shape is a 0-d array, printed like NumPy's scalar <c>str</c> (e.g. "5.0").</param>
    /// <param name="precision">The most fractional digits (NumPy's <c>precision</c>, here 3 by default as in our notebooks).</param>
    /// <param name="lineWidth">NumPy's <c>linewidth</c>: 75 by default.</param>
    /// <exception cref="ArgumentException">The shape's product differs from the data length, a dimension is negative, or precision is negative.</exception>
    public static string Format(double[] data, int[] shape, int precision = 3, int lineWidth = 75)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(precision);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Dimension {d} is negative.", nameof(shape));
            count *= d;
        }
        if (count != data.Length)
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {count} elements but data has {data.Length}.", nameof(shape));
        if (shape.Length == 0) return NumPyFormatFloat.FormatScalar(data[0]);
        if (data.Length == 0) return "[]";

        bool summarise = data.Length > Threshold;
        IReadOnlyCollection<double> shown = summarise ? ShownElements(data, shape) : data;
        var layout = new Layout(data, shape, new NumPyFormatFloat(shown, precision), summarise);
        return layout.Recurse(0, 0, " ", lineWidth);
    }

    /// <summary>Formats a vector: the same as <see cref="Format(double[], int[], int, int)"/> with shape (n).</summary>
    public static string Format(double[] vector, int precision = 3) => Format(vector, [vector.Length], precision);

    /// <summary>Formats a matrix: the same as <see cref="Format(double[], int[], int, int)"/> with its two dimensions.</summary>
    public static string Format(double[,] matrix, int precision = 3)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return Format(matrix.Cast<double>().ToArray(), [matrix.GetLength(0), matrix.GetLength(1)], precision);
    }

    /// <summary>The elements a summarised print shows (NumPy's <c>_leading_trailing</c>): only these decide the format.</summary>
    private static List<double> ShownElements(double[] data, int[] shape)
    {
        var shown = new List<double>();
        void Walk(int axis, int offset)
        {
            if (axis == shape.Length) { shown.Add(data[offset]); return; }
            int stride = Stride(shape, axis), n = shape[axis];
            for (int i = 0; i < n; i++)
            {
                if (n > 2 * EdgeItems && i >= EdgeItems && i < n - EdgeItems) continue;
                Walk(axis + 1, offset + i * stride);
            }
        }
        Walk(0, 0);
        return shown;
    }

    private static int Stride(int[] shape, int axis)
    {
        int stride = 1;
        for (int k = axis + 1; k < shape.Length; k++) stride *= shape[k];
        return stride;
    }

    /// <summary>NumPy's <c>_formatArray</c> with separator ' ' and no legacy mode.</summary>
    private sealed class Layout(double[] data, int[] shape, NumPyFormatFloat format, bool summarise)
    {
        public string Recurse(int axis, int offset, string hangingIndent, int currentWidth)
        {
            if (axis == shape.Length) return format.Format(data[offset]);
            string nextIndent = hangingIndent + " ";
            int nextWidth = currentWidth - 1;
            int n = shape[axis], stride = Stride(shape, axis);
            bool showSummary = summarise && 2 * EdgeItems < n;
            int leading = showSummary ? EdgeItems : 0, trailing = showSummary ? EdgeItems : n;
            var s = new StringBuilder();
            string Item(int i) => Recurse(axis + 1, offset + i * stride, nextIndent, nextWidth);

            if (shape.Length - axis == 1)
            {
                int elementWidth = currentWidth - 1; // room for the closing ']'
                string line = hangingIndent;
                for (int i = 0; i < leading; i++) line = ExtendLine(s, line, Item(i), elementWidth, hangingIndent) + " ";
                if (showSummary) line = ExtendLine(s, line, "...", elementWidth, hangingIndent) + " ";
                for (int i = trailing; i > 1; i--) line = ExtendLine(s, line, Item(n - i), elementWidth, hangingIndent) + " ";
                line = ExtendLine(s, line, Item(n - 1), elementWidth, hangingIndent);
                s.Append(line);
            }
            else
            {
                string lineSeparator = new('\n', shape.Length - axis - 1);
                for (int i = 0; i < leading; i++) s.Append(hangingIndent).Append(Item(i)).Append(lineSeparator);
                if (showSummary) s.Append(hangingIndent).Append("...").Append(lineSeparator);
                for (int i = trailing; i > 1; i--) s.Append(hangingIndent).Append(Item(n - i)).Append(lineSeparator);
                s.Append(hangingIndent).Append(Item(n - 1));
            }
            return "[" + s.ToString(hangingIndent.Length, s.Length - hangingIndent.Length) + "]";
        }

        /// <summary>NumPy's <c>_extendLine</c>: wraps before <paramref name="word"/> if the line would exceed the width, unless wrapping cannot help.</summary>
        private static string ExtendLine(StringBuilder s, string line, string word, int lineWidth, string nextLinePrefix)
        {
            bool wrap = line.Length + word.Length > lineWidth && line.Length > nextLinePrefix.Length;
            if (wrap)
            {
                s.Append(line.TrimEnd()).Append('\n');
                line = nextLinePrefix;
            }
            return line + word;
        }
    }
}
