using System.Globalization;
using Nabla.Scalars;

namespace Nabla.Formulas;

/// <summary>
/// Finds where a value or a gradient of a formula first stopped being a finite number, and says so
/// in words: <c>log of -2 at column 14 is NaN</c>.
/// </summary>
public static class NonFiniteTrace
{
    /// <summary>The first node, in evaluation order, that is not finite although its inputs are; null if every value is finite.</summary>
    public static string? FirstInForward(FormulaGraph graph)
    {
        foreach (var node in graph.Output.TopologicalOrder())
        {
            if (double.IsFinite(node.Data)) continue;
            if (node.Inputs.Any(i => !double.IsFinite(i.Data))) continue;
            return $"{Describe(graph, node)} is {Kind(node.Data)}";
        }
        return null;
    }

    /// <summary>
    /// After Backward: the first local derivative, walking back from the output, that turned a finite
    /// gradient into a non-finite one on the way to a variable; null if every gradient is finite.
    /// </summary>
    public static string? FirstInBackward(FormulaGraph graph, IEnumerable<string> variables)
    {
        if (variables.All(v => double.IsFinite(graph.Variables[v].Grad))) return null;
        var order = graph.Output.TopologicalOrder();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (!double.IsFinite(node.Grad)) continue;
            for (int k = 0; k < node.Inputs.Count; k++)
            {
                var input = node.Inputs[k];
                if (input.IsConstant) continue;
                double local = node.LocalDerivative(k);
                if (double.IsFinite(local * node.Grad)) continue;
                return $"the derivative of {Describe(graph, node)} with respect to {InputName(graph, input)} is {Kind(local * node.Grad)}";
            }
        }
        var bad = variables.First(v => !double.IsFinite(graph.Variables[v].Grad));
        return $"the gradient with respect to {bad} is {Kind(graph.Variables[bad].Grad)}";
    }

    private static string Kind(double v) => double.IsNaN(v) ? "NaN" : "infinite";

    private static string Number(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string InputName(FormulaGraph graph, Value input) =>
        input.Label ?? (graph.OriginOf(input) is { } e ? $"the value at {graph.Formula.Source.Describe(e.Span)}" : "its input");

    /// <summary>"log of -2 at column 14", "2 / 0 at column 3", "pow(-1, 0.5) at line 2, column 5".</summary>
    public static string Describe(FormulaGraph graph, Value node)
    {
        var inputs = node.Inputs.Select(i => Number(i.Data)).ToList();
        string what = node.Inputs.Count switch
        {
            1 when node.Op == "neg" => $"-({inputs[0]})",
            1 => $"{node.Op} of {inputs[0]}",
            2 when char.IsLetter(node.Op[0]) => $"{node.Op}({inputs[0]}, {inputs[1]})",
            2 => $"{inputs[0]} {node.Op} {inputs[1]}",
            _ => node.Label ?? "a value",
        };
        var origin = graph.OriginOf(node);
        return origin is null ? what : $"{what} at {graph.Formula.Source.Describe(origin.Span)}";
    }
}
