namespace Nabla;

/// <summary>
/// The base of every error Nabla raises for input a user can fix (a bad formula, file, shape or option).
/// Its message says what was wrong and where; the command-line tool prints it without a stack trace.
/// </summary>
public class NablaException(string message, Exception? inner = null) : Exception(message, inner);
