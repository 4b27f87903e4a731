namespace Nabla;

/// <summary>
/// The base of every error Nabla raises for input a user can fix (a bad formula, file, shape or option).
/// Its message says what was wrong and where; the command-line tool prints it without a stack trace.
/// </summary>
public class NablaException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// The parameter or setting the error is about, as the library names it (for example <c>"at"</c> for the values
    /// of <see cref="Formulas.Formula.Evaluate"/>), or null. A front end shows its own name for it: the command line
    /// shows the flag. When the message starts with this name, it is the name of the value that was wrong.
    /// </summary>
    public string? Setting { get; init; }
}
