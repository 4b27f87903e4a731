using Nabla.Explain.Convolution;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla explain --example conv1d</c>: a 1-D convolution and both its gradients with every term written out,
/// checked by central differences (see <see cref="Conv1dExplanation"/>). Exit 0 when the checks pass, 1 when not.
/// </summary>
public static class ExplainConv1d
{
    /// <summary>The example's name after <c>--example</c>.</summary>
    public const string Name = Conv1dExplanation.Name;

    /// <summary>Prints the example in <paramref name="format"/> (text, markdown or json); exit 0, or 1 when the check fails.</summary>
    public static int Run(string format, TextWriter stdout, TextWriter stderr)
    {
        if (format == "latex") throw new CliException($"--example {Name} is explained as text, markdown or json, not latex");
        var e = Conv1dExplanation.Create();
        stdout.Write(format == "json" ? e.Json() + Environment.NewLine : e.Text());
        if (e.Passed) return 0;
        stderr.WriteLine("error: the convolution's gradients failed the check");
        return ExplainCommand.CheckFailed;
    }
}
