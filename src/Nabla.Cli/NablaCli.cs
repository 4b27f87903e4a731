using System.CommandLine;
using Nabla.Cli.Commands;

namespace Nabla.Cli;

/// <summary>
/// Builds the command tree and runs it against the given streams, so tests can run any command
/// in-process and read what it prints.
/// </summary>
public static class NablaCli
{
    /// <summary>Exit code for bad input: a formula, a file, an option value.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for a failure that is Nabla's fault, not the input's (EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Parses <paramref name="args"/> and runs the command they name; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = CreateRoot(stdout, stderr);
        ParseResult parse;
        try
        {
            parse = root.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // An argument starting with '@' names a response file; one that cannot be read is bad input, not a crash.
            stderr.WriteLine($"error: cannot read a response file (an argument starting with '@'): {e.Message}");
            return BadInput;
        }
        if (ParseProblems.First(parse) is { } problem)
        {
            // Under mpirun every rank parses the same line: rank 0 alone says what is wrong with it.
            if (!MpiLaunch.IsQuietRank) stderr.WriteLine($"error: {problem}");
            return BadInput;
        }
        try
        {
            if (CommandHelp.IsHelp(parse))
            {
                var help = new StringWriter();
                int code = parse.Invoke(new InvocationConfiguration { Output = help, Error = stderr, EnableDefaultExceptionHandler = false });
                stdout.Write(CommandHelp.Tidy(help.ToString(), root));
                return code;
            }
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            // The commands report the errors users can fix; this one is ours. One line, no stack trace.
            stderr.WriteLine($"error: an internal error stopped the command ({e.GetType().Name}: {e.Message}); please report it");
            return InternalError;
        }
    }

    /// <summary>The whole command tree, writing to the given streams; tests read its options to check the README.</summary>
    public static RootCommand CreateRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Nabla: backpropagation you can see. Train networks, explain the chain rule with real numbers, check gradients.");
        foreach (var command in Commands(stdout, stderr)) root.Subcommands.Add(command);
        CommandHelp.Install(root);
        return root;
    }

    private static IEnumerable<Command> Commands(TextWriter stdout, TextWriter stderr)
    {
        yield return TrainCommand.Create(stdout, stderr);
        yield return PredictCommand.Create(stdout, stderr);
        yield return EvaluateCommand.Create(stdout, stderr);
        yield return ExportCommand.Create(stdout, stderr);
        yield return ReportCommand.Create(stdout, stderr);
        yield return ExplainCommand.Create(stdout, stderr);
        yield return GradCommand.Create(stdout, stderr);
        yield return GraphCommand.Create(stdout, stderr);
        yield return ExampleCommand.Create(stdout, stderr);
    }
}
