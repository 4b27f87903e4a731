namespace Nabla.Formulas;

/// <summary>
/// A formula that cannot be parsed or evaluated. The message names the problem and where it is
/// (line and column), followed by the offending line with a caret under it.
/// </summary>
public sealed class FormulaException : NablaException
{
    /// <summary>An error at <paramref name="span"/> of <paramref name="source"/>; the message adds the position and a caret line under the span.</summary>
    public FormulaException(string problem, SourceText source, SourceSpan span)
        : base($"{problem} at {source.Describe(span)}\n{source.Caret(span)}")
    {
        Problem = problem;
        Span = span;
        (Line, Column) = source.Position(span.Start);
    }

    /// <summary>An error about the formula as a whole, with no position (e.g. a missing value).</summary>
    public FormulaException(string problem) : base(problem) => Problem = problem;

    /// <summary>What was wrong, without the position.</summary>
    public string Problem { get; }

    /// <summary>Where in the text the problem is, or null for an error about the whole formula.</summary>
    public SourceSpan? Span { get; }
    /// <summary>The 1-based line of the span's start; 0 when there is no span.</summary>
    public int Line { get; }
    /// <summary>The 1-based column of the span's start; 0 when there is no span.</summary>
    public int Column { get; }
}
