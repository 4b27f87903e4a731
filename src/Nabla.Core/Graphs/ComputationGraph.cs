using Nabla.Explain;
using Nabla.Formulas;
using Nabla.Scalars;

namespace Nabla.Graphs;

/// <summary>What made a node: nothing (a variable or a constant) or an operation.</summary>
public enum GraphNodeKind
{
    /// <summary>A leaf that is a variable: the backward pass gives its gradient.</summary>
    Variable,

    /// <summary>A leaf that is a constant number.</summary>
    Constant,

    /// <summary>The result of an operation on its inputs.</summary>
    Operation,
}

/// <summary>One node of a drawn graph.</summary>
/// <param name="Id">Its position in evaluation order (inputs first), 0-based; edges refer to it.</param>
/// <param name="Name">Its name (<see cref="NodeNames"/>): a label, <c>t1</c>…, or a constant's number.</param>
/// <param name="Op">The operation's name (<c>+</c>, <c>sin</c>…), empty for a leaf.</param>
/// <param name="Expression">The operation on its inputs' names (<c>beta0 + t1</c>), or the name for a leaf.</param>
/// <param name="Value">Its value after the forward pass.</param>
/// <param name="Gradient">∂output/∂node after the backward pass (0 for constants).</param>
/// <param name="Kind">Variable, constant or operation.</param>
/// <param name="IsOutput">True for the node the graph was drawn from.</param>
public sealed record GraphNode(int Id, string Name, string Op, string Expression, double Value, double Gradient, GraphNodeKind Kind, bool IsOutput);

/// <summary>An input of a node: <paramref name="From"/> is input number <paramref name="InputIndex"/> of <paramref name="To"/>.</summary>
public sealed record GraphEdge(int From, int To, int InputIndex);

/// <summary>
/// The computation graph of one output after a forward and a backward pass: every node it depends
/// on (constants included) with its value and gradient, and one edge per input of every operation —
/// two edges between the same nodes for x·x. The data that <see cref="DotWriter"/>,
/// <see cref="SvgWriter"/> and the application's GraphHtmlWriter draw.
/// </summary>
public sealed class ComputationGraph
{
    private ComputationGraph(string outputName, List<GraphNode> nodes, List<GraphEdge> edges)
    {
        OutputName = outputName;
        Nodes = nodes;
        Edges = edges;
    }

    /// <summary>The output node's name.</summary>
    public string OutputName { get; }

    /// <summary>The nodes in evaluation order; <c>Nodes[i].Id == i</c>; the output last.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    /// <summary>One edge per input of every operation, in the order the nodes were visited.</summary>
    public IReadOnlyList<GraphEdge> Edges { get; }

    /// <summary>The graph of a formula's output, named as the formula names it; runs the backward pass.</summary>
    public static ComputationGraph From(FormulaGraph graph) => From(graph.Output, graph.Formula.OutputName ?? "f");

    /// <summary>The graph of any scalar node. Zeroes the gradients of every node it depends on and runs the backward pass from it.</summary>
    public static ComputationGraph From(Value output, string? outputName = null)
    {
        output.ZeroGrad();
        output.Backward();
        var names = NodeNames.For(output, outputName);
        var order = names.Order;
        var id = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var nodes = new List<GraphNode>(order.Count);
        var edges = new List<GraphEdge>();
        foreach (var node in order)
        {
            id[node] = nodes.Count;
            var kind = node.IsLeaf ? node.IsConstant ? GraphNodeKind.Constant : GraphNodeKind.Variable : GraphNodeKind.Operation;
            nodes.Add(new GraphNode(nodes.Count, names[node], node.Op, ExpressionText.Of(node, names), node.Data, node.Grad, kind, ReferenceEquals(node, output)));
            for (int k = 0; k < node.Inputs.Count; k++) edges.Add(new GraphEdge(id[node.Inputs[k]], id[node], k));
        }
        return new ComputationGraph(names[output], nodes, edges);
    }

    /// <summary>The number of inputs of each node.</summary>
    public int InputCount(int id) => Edges.Count(e => e.To == id);
}
