namespace Nabla.Formulas;

/// <summary>
/// How large a formula may be. Each limit is checked before the work it bounds, so a formula of any size
/// is refused in time proportional to the part read, with a <see cref="FormulaException"/> naming the limit
/// (see docs/limits.md).
/// </summary>
public static class FormulaLimits
{
    /// <summary>The longest formula, in UTF-16 characters (100 000): checked before the formula is tokenised.</summary>
    public const int MaxLength = 100_000;

    /// <summary>The most statements a formula may hold (10 000).</summary>
    public const int MaxStatements = 10_000;

    /// <summary>How deep parentheses, prefix operators, calls and right-associative powers may nest (20 000).</summary>
    public const int MaxDepth = 20_000;

    /// <summary>Refuses a formula longer than <see cref="MaxLength"/> before any of it is read.</summary>
    /// <exception cref="FormulaException">The text is too long.</exception>
    internal static void CheckLength(string text)
    {
        if (text.Length > MaxLength)
            throw new FormulaException(
                $"the formula is {text.Length:N0} characters long; the limit is {MaxLength:N0} (see docs/limits.md)");
    }
}
