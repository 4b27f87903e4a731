namespace Nabla.Formulas;

/// <summary>
/// A formula that cannot be parsed or evaluated. The message names the problem and where it is
/// (line and column), followed by the offending line with a caret under it.
/// </summary>
public sealed class FormulaException : NablaException
{
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

    public SourceSpan? Span { get; }
    public int Line { get; }
    public int Column { get; }
}
