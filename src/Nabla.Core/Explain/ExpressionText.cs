using Nabla.Scalars;

namespace Nabla.Explain;

/// <summary>
/// One operation written out in terms of the names of its inputs: <c>beta1 + t3</c>,
/// <c>omega1·h1</c>, <c>sin(f0)</c>, <c>t8^2</c>, <c>-a</c>, <c>maximum(a, b)</c>.
/// </summary>
public static class ExpressionText
{
    /// <summary>The expression that defines <paramref name="node"/>; a leaf is just its name.</summary>
    public static string Of(Value node, NodeNames names)
    {
        var inputs = node.Inputs;
        if (inputs.Count == 0) return names[node];
        string a = names[inputs[0]];
        if (inputs.Count == 1) return node.Op == "neg" ? $"-{a}" : $"{node.Op}({a})";
        string b = names[inputs[1]];
        return node.Op switch
        {
            "*" => $"{a}·{b}",
            "pow" => $"{a}^{b}",
            "+" or "-" or "/" => $"{a} {node.Op} {b}",
            var op => $"{op}({a}, {b})",
        };
    }

    /// <summary>
    /// ∂node/∂input k written out with the names of the node and its inputs, as the op defines it
    /// (<c>cos(f0)</c> for h1 = sin(f0); <c>omega1</c> for t3 = omega1·h1 with respect to h1).
    /// </summary>
    public static string LocalDerivative(Value node, int k, NodeNames names)
    {
        var inputs = node.Inputs;
        string y = names[node];
        if (node.UnaryOp is { } unary) return unary.DerivativeText(names[inputs[0]], y);
        var binary = node.BinaryOp ?? throw new ArgumentException("a leaf has no local derivative", nameof(node));
        string a = names[inputs[0]], b = names[inputs[1]];
        return k == 0 ? binary.DerivativeAText(a, b, y) : binary.DerivativeBText(a, b, y);
    }
}
