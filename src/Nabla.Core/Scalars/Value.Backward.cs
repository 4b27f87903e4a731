namespace Nabla.Scalars;

// Graph walks. All of them are iterative (an explicit stack), so a chain of a million nodes
// cannot overflow the call stack.
public sealed partial class Value
{
    private static int s_walk;

    [ThreadStatic] private static Stack<(Value Node, bool Expanded)>? t_stack;

    /// <summary>
    /// Every node this one depends on, itself last, each once, inputs before the nodes made from
    /// them (a topological order). Inputs are visited first to last, so for a formula the order is
    /// the order of evaluation.
    /// </summary>
    public List<Value> TopologicalOrder()
    {
        var order = new List<Value>();
        TopologicalOrder(order);
        return order;
    }

    /// <summary>Fills <paramref name="order"/> (cleared first) with <see cref="TopologicalOrder()"/>.</summary>
    public void TopologicalOrder(List<Value> order)
    {
        order.Clear();
        int walk = Interlocked.Increment(ref s_walk);
        var stack = t_stack ??= new Stack<(Value, bool)>();
        stack.Clear();
        stack.Push((this, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (expanded)
            {
                order.Add(node);
                continue;
            }
            if (node.VisitMark == walk) continue;
            node.VisitMark = walk;
            node.Pending = 0; // the walk also resets the scratch gradient Backward accumulates into
            if (node.A is null)
            {
                order.Add(node); // a leaf has nothing to wait for
                continue;
            }
            stack.Push((node, true));
            if (node.B is { } b && b.VisitMark != walk) stack.Push((b, false));
            if (node.A.VisitMark != walk) stack.Push((node.A, false));
        }
    }

    [ThreadStatic] private static List<Value>? t_order;

    /// <summary>
    /// Back-propagates from this node: adds ∂this/∂node into <see cref="Grad"/> of every node it
    /// depends on (and 1 into its own). Gradients add up: a node used twice (x·x, or b = a + a)
    /// receives the sum over its uses, and calling Backward twice without <see cref="ZeroGrad"/>
    /// adds the gradient twice. Constants receive nothing.
    /// </summary>
    public void Backward()
    {
        var order = t_order ??= new List<Value>();
        TopologicalOrder(order);
        Pending = 1;
        var nodes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order);
        for (int i = nodes.Length - 1; i >= 0; i--)
        {
            var node = nodes[i];
            double g = node.Pending;
            node.Grad += g;
            var a = node.A;
            if (a is null) continue;
            if (node.Unary is { } u)
            {
                if (!a.IsConstant) a.Pending += u.Derivative(a.Data, node.Data) * g;
                continue;
            }
            var op = node.Binary!;
            var b = node.B!;
            if (!a.IsConstant) a.Pending += op.DerivativeA(a.Data, b.Data, node.Data) * g;
            if (!b.IsConstant) b.Pending += op.DerivativeB(a.Data, b.Data, node.Data) * g;
        }
        order.Clear(); // do not keep the graph alive through the thread-static buffer
    }

    /// <summary>Sets <see cref="Grad"/> to 0 on this node and every node it depends on, leaves and intermediates alike.</summary>
    public void ZeroGrad()
    {
        var order = t_order ??= new List<Value>();
        TopologicalOrder(order);
        foreach (var node in order) node.Grad = 0;
        order.Clear();
    }
}
