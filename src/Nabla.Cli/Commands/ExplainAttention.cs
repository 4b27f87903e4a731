using Nabla.Explain.Attention;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla explain --example attention</c>: one attention head on three tokens, forward and backward in matrix form,
/// with the softmax Jacobian of one row written out beside the shortcut dS = P ⊙ (dP − rowsum(dP ⊙ P)), the causal
/// mask's exact zeros, and every gradient from the formulas, the tensor engine and central differences (see
/// <see cref="AttentionExplanation"/>). Exit 0 when they agree, 1 when they do not.
/// </summary>
public static class ExplainAttention
{
    /// <summary>The example's name after <c>--example</c>.</summary>
    public const string Name = "attention";

    /// <summary>Prints the example in <paramref name="format"/> (text, markdown or json); exit 0, or 1 when the check fails.</summary>
    public static int Run(string format, TextWriter stdout, TextWriter stderr)
    {
        if (format == "latex") throw new CliException($"--example {Name} is explained as text, markdown or json, not latex");
        var e = AttentionExplanation.Create();
        stdout.Write(format switch
        {
            "json" => AttentionJson.Render(e, Name) + Environment.NewLine,
            "markdown" => AttentionText.Markdown(e),
            _ => AttentionText.Text(e),
        });
        if (e.Passed) return 0;
        stderr.WriteLine($"error: {AttentionText.Verdict(e)}");
        return ExplainCommand.CheckFailed;
    }
}
