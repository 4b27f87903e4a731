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

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Nabla: backpropagation you can see. Train networks, explain the chain rule with real numbers, check gradients.");
        foreach (var command in Commands(stdout, stderr)) root.Subcommands.Add(command);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run 'nabla --help' for usage.");
            return BadInput;
        }
        // Our actions catch their own errors; this only keeps an unexpected one from printing a stack trace.
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    private static IEnumerable<Command> Commands(TextWriter stdout, TextWriter stderr)
    {
        yield return TrainCommand.Create(stdout, stderr);
        yield return PredictCommand.Create(stdout, stderr);
        yield return ReportCommand.Create(stdout, stderr);
        yield return ExplainCommand.Create(stdout, stderr);
        yield return GradCommand.Create(stdout, stderr);
        yield return GraphCommand.Create(stdout, stderr);
        yield return ExampleCommand.Create(stdout, stderr);
    }
}
