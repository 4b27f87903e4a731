using System.Globalization;
using Nabla.Scalars;

namespace Nabla.Explain;

/// <summary>
/// A name for every node of a graph, as explanations and drawings show it. A labelled node keeps
/// its label (the formula's variable and statement names); the output is called by the name asked
/// for; every other node an operation made is <c>t1</c>, <c>t2</c> … in evaluation order; an
/// unlabelled variable is <c>v1</c>, <c>v2</c> …; a constant is written as its number. Names never
/// collide: a label used by two different nodes gets a suffix (<c>x</c>, <c>x_2</c>), and the
/// numbering skips names a label already took.
/// </summary>
public sealed class NodeNames
{
    private readonly Dictionary<Value, string> _names = new(ReferenceEqualityComparer.Instance);

    private NodeNames() { }

    /// <summary>The nodes, in evaluation order (inputs before the nodes made from them, the output last).</summary>
    public IReadOnlyList<Value> Order { get; private init; } = [];

    /// <summary>Names every node <paramref name="output"/> depends on, and the output itself.</summary>
    /// <param name="output">The node being explained.</param>
    /// <param name="outputName">What to call the output when it has no label (default <c>out</c>).</param>
    public static NodeNames For(Value output, string? outputName = null)
    {
        var order = output.TopologicalOrder();
        var names = new NodeNames { Order = order };
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in order)
        {
            if (node.IsConstant || node.Label is not { Length: > 0 } label) continue;
            names._names[node] = Unique(label, taken);
        }
        if (!names._names.ContainsKey(output) && !output.IsConstant)
            names._names[output] = Unique(outputName is { Length: > 0 } ? outputName : "out", taken);
        int temporary = 0, variable = 0;
        foreach (var node in order)
        {
            if (node.IsConstant || names._names.ContainsKey(node)) continue;
            string prefix = node.IsLeaf ? "v" : "t";
            ref int counter = ref node.IsLeaf ? ref variable : ref temporary;
            string name;
            do name = prefix + (++counter).ToString(CultureInfo.InvariantCulture);
            while (!taken.Add(name));
            names._names[node] = name;
        }
        return names;
    }

    /// <summary>The node's name; a constant's is its number (negative numbers in parentheses, so they read as one operand).</summary>
    public string this[Value node] => _names.TryGetValue(node, out var name) ? name : NumberText.Operand(node.Data);

    private static string Unique(string label, HashSet<string> taken)
    {
        if (taken.Add(label)) return label;
        for (int i = 2; ; i++)
        {
            string candidate = $"{label}_{i}";
            if (taken.Add(candidate)) return candidate;
        }
    }
}
