using Nabla.Formulas;
using Nabla.Scalars;

namespace Nabla.Explain;

/// <summary>One row of the forward pass: <c>f1 = beta1 + t3 = 1.623</c>.</summary>
/// <param name="Name">The node's name (<see cref="NodeNames"/>).</param>
/// <param name="Expression">Its operation applied to the names of its inputs.</param>
/// <param name="Value">Its value.</param>
/// <param name="IsNamed">True when the name is a label (a formula statement), false for a numbered <c>t</c> node.</param>
public sealed record ForwardEntry(string Name, string Expression, double Value, bool IsNamed);

/// <summary>
/// One use of a node by another, as the chain rule needs it: the consumer's gradient times the
/// consumer's local derivative with respect to this node. For h1 = sin(f0), f0's use by h1 is
/// ∂out/∂h1 · ∂h1/∂f0 with <see cref="Local"/> = <c>cos(f0)</c>.
/// </summary>
/// <param name="Consumer">The name of the node that uses this one.</param>
/// <param name="Local">∂consumer/∂node written out.</param>
/// <param name="LocalValue">∂consumer/∂node at the current values.</param>
/// <param name="Upstream">∂out/∂consumer.</param>
public sealed record ChainTerm(string Consumer, string Local, double LocalValue, double Upstream)
{
    /// <summary>Upstream · LocalValue: this use's share of ∂out/∂node.</summary>
    public double Product => Upstream * LocalValue;
}

/// <summary>
/// ∂out/∂node: the sum of <see cref="Terms"/>, one per use of the node (two when a node is used twice,
/// as in x·x). The output's own entry has no terms: ∂out/∂out = 1 seeds the backward pass.
/// </summary>
/// <param name="Name">The node's name.</param>
/// <param name="Gradient">∂out/∂node, as the engine's backward pass computed it.</param>
/// <param name="Terms">The uses it is summed over.</param>
public sealed record BackwardEntry(string Name, double Gradient, IReadOnlyList<ChainTerm> Terms);

/// <summary>
/// The chain rule for one output, written out with real numbers: the inputs, every intermediate
/// value in evaluation order, ∂out/∂node for every intermediate in reverse order with the local
/// derivative and the product it comes from, and ∂out/∂v for each variable as the sum over its uses.
/// Made by <see cref="Of(Value, string?, IEnumerable{Value}?)"/> or <see cref="Of(FormulaGraph, IEnumerable{string}?)"/>; rendered by
/// <see cref="MarkdownRenderer"/>, <see cref="LatexRenderer"/>, <see cref="JsonRenderer"/> and the CLI's text renderer.
/// </summary>
public sealed class Explanation
{
    private Explanation(string outputName, double value, List<(string, double)> inputs, List<ForwardEntry> forward,
        List<BackwardEntry> backward, List<BackwardEntry> gradients)
    {
        OutputName = outputName;
        Value = value;
        Inputs = inputs;
        _forward = forward;
        _backward = backward;
        _gradients = gradients;
    }

    private readonly List<ForwardEntry> _forward;
    private readonly List<BackwardEntry> _backward;
    private readonly List<BackwardEntry> _gradients;

    /// <summary>The output's name (<c>l</c> for the toy model).</summary>
    public string OutputName { get; }

    /// <summary>The output's value.</summary>
    public double Value { get; }

    /// <summary>Every variable (a leaf that is not a constant) with its value, in evaluation order.</summary>
    public IReadOnlyList<(string Name, double Value)> Inputs { get; }

    /// <summary>Every node an operation made (constants folded into their users), in evaluation order; the output last.</summary>
    public IReadOnlyList<ForwardEntry> Forward => _forward;

    /// <summary>∂out/∂node for the same nodes as <see cref="Forward"/>, in reverse order; the output (∂out/∂out = 1) first.</summary>
    public IReadOnlyList<BackwardEntry> Backward => _backward;

    /// <summary>∂out/∂v for the variables asked for (all by default), each the sum over the variable's uses.</summary>
    public IReadOnlyList<BackwardEntry> Gradients => _gradients;

    /// <summary>∂out/∂v by variable name.</summary>
    public IReadOnlyDictionary<string, double> Gradient => Gradients.ToDictionary(g => g.Name, g => g.Gradient);

    /// <summary>The variable values by name.</summary>
    public IReadOnlyDictionary<string, double> At => Inputs.ToDictionary(i => i.Name, i => i.Value);

    /// <summary>
    /// Explains a formula's output, named as the formula names it (its last statement, or <c>f</c> for a
    /// bare expression). Runs the backward pass (after zeroing the gradients).
    /// </summary>
    /// <param name="graph">The evaluated formula.</param>
    /// <param name="wrt">The variables to give gradients for, in this order (default: all, in order of first use).</param>
    public static Explanation Of(FormulaGraph graph, IEnumerable<string>? wrt = null)
    {
        var names = (wrt ?? graph.Formula.Variables).ToList();
        foreach (var name in names)
            if (!graph.Variables.ContainsKey(name))
                throw new NablaException($"'{name}' is not a variable of the formula (its variables: {(graph.Formula.Variables.Count == 0 ? "none" : string.Join(", ", graph.Formula.Variables))})");
        var explanation = Of(graph.Output, graph.Formula.OutputName ?? "f", names.Select(n => graph.Variables[n]));
        var position = graph.Formula.Variables.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        var inputs = explanation.Inputs.OrderBy(i => position.GetValueOrDefault(i.Name, int.MaxValue)).ToList();
        return new Explanation(explanation.OutputName, explanation.Value, inputs, explanation._forward, explanation._backward, explanation._gradients);
    }

    /// <summary>
    /// Explains any scalar node. Zeroes the gradients of every node it depends on, runs
    /// <see cref="Scalars.Value.Backward"/> from it, and reads the gradients back.
    /// </summary>
    /// <param name="output">The node to explain.</param>
    /// <param name="outputName">Its name when it has no label (default <c>out</c>).</param>
    /// <param name="wrt">The variables to give gradients for (default: every non-constant leaf, in evaluation order).</param>
    public static Explanation Of(Value output, string? outputName = null, IEnumerable<Value>? wrt = null)
    {
        output.ZeroGrad();
        output.Backward();
        var names = NodeNames.For(output, outputName);
        var order = names.Order;
        var uses = new Dictionary<Value, List<(Value Consumer, int Index)>>(ReferenceEqualityComparer.Instance);
        foreach (var node in order)
            for (int k = 0; k < node.Inputs.Count; k++)
            {
                var input = node.Inputs[k];
                if (input.IsConstant) continue;
                if (!uses.TryGetValue(input, out var list)) uses[input] = list = [];
                list.Add((node, k));
            }

        BackwardEntry Entry(Value node) => new(names[node], node.Grad, uses.TryGetValue(node, out var list)
            ? list.Select(u => new ChainTerm(names[u.Consumer], ExpressionText.LocalDerivative(u.Consumer, u.Index, names),
                u.Consumer.LocalDerivative(u.Index), u.Consumer.Grad)).ToList()
            : []);

        var computed = order.Where(n => !n.IsLeaf && !n.IsConstant).ToList();
        // Variables in order of first use: by the position of the first node that uses them.
        var position = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < order.Count; i++) position[order[i]] = i;
        var inputs = order.Where(n => n.IsLeaf && !n.IsConstant)
            .OrderBy(n => uses.TryGetValue(n, out var list) ? list.Min(u => position[u.Consumer] * 2 + u.Index) : int.MaxValue).ToList();
        var forward = computed.Select(n => new ForwardEntry(names[n], ExpressionText.Of(n, names), n.Data, n.Label is { Length: > 0 })).ToList();
        var backward = Enumerable.Reverse(computed).Select(Entry).ToList();
        var gradients = (wrt?.ToList() ?? inputs).Select(Entry).ToList();
        return new Explanation(names[output], output.Data, inputs.Select(n => (names[n], n.Data)).ToList(), forward, backward, gradients);
    }
}
