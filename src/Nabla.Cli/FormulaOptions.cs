using System.CommandLine;

namespace Nabla.Cli;

/// <summary>The formula argument and the <c>--at</c> / <c>--wrt</c> options that grad, explain and graph share.</summary>
public static class FormulaOptions
{
    private const string FormulaHelp = "Statements 'name = expr' separated by ';' or new lines; the last one is the output.";

    /// <summary>A required formula (grad).</summary>
    public static Argument<string> Formula() => new("formula") { Description = FormulaHelp };

    /// <summary>An optional formula that defaults to notebook 004's toy model (explain, graph).</summary>
    public static Argument<string?> FormulaOrToyModel() => new("formula")
    {
        Description = FormulaHelp + " Default: notebook 004's toy model.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Option<string> At(bool toyModelDefault = false) => new("--at")
    {
        Description = "Variable values, e.g. \"x=2.3,y=2\"" + (toyModelDefault ? " (for the toy model: values to change)." : "."),
    };

    public static Option<string> Wrt() => new("--wrt") { Description = "Only these variables, e.g. \"a,b\" (default: all)." };
}
