using Nabla.Cli.Rendering;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>A Spectre.Console console that writes to a given stream, so commands can be tested in-process.</summary>
public static class Terminal
{
    /// <summary>
    /// A console on <paramref name="writer"/>: with colours, live progress and the terminal's width only when it is
    /// standard output and that is a terminal (<see cref="OutputKind"/>); otherwise plain text, no control codes,
    /// and no wrapping unless COLUMNS asks for it (<see cref="ConsoleWidth"/>).
    /// </summary>
    public static IAnsiConsole For(TextWriter writer)
    {
        bool interactive = ReferenceEquals(writer, Console.Out) && OutputKind.StandardOutputIsTerminal;
        bool colour = interactive && !OutputKind.NoColor;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Spectre.Console's plain-text backend still calls Console.ResetColor on each style change, and the runtime
        // writes that as a control code whenever stdout is a terminal device (an mpirun rank's pseudo-terminal whose
        // bytes go to a log); the runtime honours NO_COLOR, so it is set for this process.
        if (!interactive && ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected) Environment.SetEnvironmentVariable("NO_COLOR", "1");
        console.Profile.Width = interactive ? ConsoleWidth.ForStandardOutput()
            : ConsoleWidth.Of(terminal: false, Environment.GetEnvironmentVariable("COLUMNS"), 0);
        return console;
    }
}
