namespace Nabla.Cli;

/// <summary>An error the user can fix: its message goes to stderr, with the exit code it carries.</summary>
public sealed class CliException(string message, int exitCode = NablaCli.BadInput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Runs a command body and turns the project's own errors into a message and an exit code.</summary>
public static class CliAction
{
    public static int Guard(TextWriter stderr, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (CliException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (NablaException e)
        {
            stderr.WriteLine($"error: {SettingFlags.Message(e)}");
            return NablaCli.BadInput;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return NablaCli.BadInput;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return NablaCli.BadInput;
        }
    }
}
