using Spectre.Console;

namespace Nabla.Cli;

/// <summary>A Spectre.Console console that writes to a given stream, so commands can be tested in-process.</summary>
public static class Terminal
{
    public static IAnsiConsole For(TextWriter writer)
    {
        bool interactive = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive) console.Profile.Width = 120;
        return console;
    }
}
