namespace Nabla.Formulas;

/// <summary>A range of characters in a formula's text.</summary>
public readonly record struct SourceSpan(int Start, int Length)
{
    /// <summary>The offset just past the span: Start + Length.</summary>
    public int End => Start + Length;
    /// <summary>The smallest span holding both <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static SourceSpan Cover(SourceSpan a, SourceSpan b) => new(Math.Min(a.Start, b.Start), Math.Max(a.End, b.End) - Math.Min(a.Start, b.Start));
}

/// <summary>A formula's text, with the line and column arithmetic error messages need.</summary>
public sealed class SourceText(string text)
{
    /// <summary>The formula's full text.</summary>
    public string Text { get; } = text;

    /// <summary>True when the text holds no new line.</summary>
    public bool IsSingleLine => !Text.Contains('\n');

    /// <summary>1-based line and column of a character offset.</summary>
    public (int Line, int Column) Position(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        int line = 1, lineStart = 0;
        for (int i = 0; i < offset; i++)
            if (Text[i] == '\n') { line++; lineStart = i + 1; }
        return (line, offset - lineStart + 1);
    }

    /// <summary>"column 14" for a one-line formula, "line 2, column 14" otherwise.</summary>
    public string Describe(SourceSpan span)
    {
        var (line, column) = Position(span.Start);
        return IsSingleLine ? $"column {column}" : $"line {line}, column {column}";
    }

    /// <summary>The line holding the span, and a caret line under the span, both indented by two spaces.</summary>
    public string Caret(SourceSpan span)
    {
        var (_, column) = Position(span.Start);
        int lineStart = Math.Clamp(span.Start, 0, Text.Length) - (column - 1), lineEnd = Text.IndexOf('\n', lineStart);
        string lineText = Text[lineStart..(lineEnd < 0 ? Text.Length : lineEnd)].TrimEnd('\r');
        int width = Math.Max(1, Math.Min(span.Length, lineText.Length - (column - 1)));
        return $"  {Printable(lineText)}\n  {new string(' ', column - 1)}{new string('^', width)}";
    }

    // A tab, a carriage return, a Unicode line or paragraph separator or any other control character
    // would move the terminal's cursor and put the caret under the wrong character: show each as one space.
    private static string Printable(string line) => string.Create(line.Length, line, (chars, text) =>
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            chars[i] = char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c;
        }
    });
}
