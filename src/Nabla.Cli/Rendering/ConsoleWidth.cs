using System.Globalization;

namespace Nabla.Cli.Rendering;

/// <summary>
/// How wide the output may be. A terminal wraps at its own width; a file or a pipe is never wrapped, so every line
/// of a log stays whole for grep; <c>COLUMNS</c>, when it holds a whole number, overrides both.
/// </summary>
public static class ConsoleWidth
{
    /// <summary>
    /// The width used where no line should wrap: wider than any line Nabla prints, and small enough that nothing
    /// sized to the width (Spectre.Console lays out tables against it) costs much.
    /// </summary>
    public const int Unlimited = 1 << 16;

    /// <summary>
    /// The width in columns: <paramref name="columnsVariable"/> (the value of COLUMNS) when it is a whole number ≥ 20,
    /// else <paramref name="terminalWidth"/> when the output is a terminal and that is positive, else <see cref="Unlimited"/>.
    /// </summary>
    public static int Of(bool terminal, string? columnsVariable, int terminalWidth)
    {
        if (int.TryParse(columnsVariable, NumberStyles.None, CultureInfo.InvariantCulture, out int columns) && columns >= 20) return columns;
        return terminal && terminalWidth > 0 ? terminalWidth : Unlimited;
    }

    /// <summary>The width for this process's standard output (see <see cref="Of"/>).</summary>
    public static int ForStandardOutput() =>
        Of(OutputKind.StandardOutputIsTerminal, Environment.GetEnvironmentVariable("COLUMNS"), TerminalWidth());

    private static int TerminalWidth()
    {
        try { return Console.WindowWidth; }
        catch (IOException) { return 0; }
        catch (PlatformNotSupportedException) { return 0; }
    }
}
