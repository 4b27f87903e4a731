using Nabla.Ops;

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
    [ThreadStatic] private static Frame[]? t_frames;

    // One entry of the backward walk's explicit stack: a plain array of these is cheaper than Stack<(Value, bool)>
    // (no version checks, no tuple copies through the enumerator-safe API), which matters when a graph is rebuilt
    // and back-propagated a million times (W6, W2 in bench/).
    private struct Frame
    {
        public Value Node;
        public bool Expanded;
    }

    /// <summary>
    /// Back-propagates from this node: adds ∂this/∂node into <see cref="Grad"/> of every node it
    /// depends on (and 1 into its own). Gradients add up: a node used twice (x·x, or b = a + a)
    /// receives the sum over its uses, and calling Backward twice without <see cref="ZeroGrad"/>
    /// adds the gradient twice. Constants receive nothing.
    /// </summary>
    public void Backward()
    {
        var order = t_order ??= new List<Value>();
        if (IsConstant) TopologicalOrder(order); // nothing below can receive a gradient; keep the plain walk
        else OrderForBackward(order);
        Pending = 1;
        var nodes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order);
        var add = BinaryOpInfo<Add>.Instance;
        var mul = BinaryOpInfo<Mul>.Instance;
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
            // + and · are most nodes of an MLP; their derivatives (1, and the other input) are inlined here with the
            // exact arithmetic of Add/Mul.DerivativeA/B · g, so results are bit-identical to the table's.
            if (ReferenceEquals(op, add))
            {
                if (!a.IsConstant) a.Pending += g;
                if (!b.IsConstant) b.Pending += g;
            }
            else if (ReferenceEquals(op, mul))
            {
                if (!a.IsConstant) a.Pending += b.Data * g;
                if (!b.IsConstant) b.Pending += a.Data * g;
            }
            else
            {
                if (!a.IsConstant) a.Pending += op.DerivativeA(a.Data, b.Data, node.Data) * g;
                if (!b.IsConstant) b.Pending += op.DerivativeB(a.Data, b.Data, node.Data) * g;
            }
        }
        order.Clear(); // do not keep the graph alive through the thread-static buffer
    }

    /// <summary>
    /// <see cref="TopologicalOrder(List{Value})"/> without the constant nodes (Backward gives them nothing, and no
    /// non-constant node lies below a constant), on an array stack. Same order for the nodes it keeps.
    /// </summary>
    private void OrderForBackward(List<Value> order)
    {
        order.Clear();
        int walk = Interlocked.Increment(ref s_walk);
        var frames = t_frames ??= new Frame[64];
        int top = 0, high = 1;
        frames[top++] = new Frame { Node = this };
        while (top > 0)
        {
            var frame = frames[--top];
            var node = frame.Node;
            if (frame.Expanded)
            {
                order.Add(node);
                continue;
            }
            if (node.VisitMark == walk) continue;
            node.VisitMark = walk;
            node.Pending = 0;
            if (node.A is null)
            {
                order.Add(node);
                continue;
            }
            if (top + 3 > frames.Length)
            {
                Array.Resize(ref frames, frames.Length * 2);
                t_frames = frames;
            }
            frames[top++] = new Frame { Node = node, Expanded = true };
            if (node.B is { IsConstant: false } b && b.VisitMark != walk) frames[top++] = new Frame { Node = b };
            if (node.A is { IsConstant: false } a && a.VisitMark != walk) frames[top++] = new Frame { Node = a };
            if (top > high) high = top;
        }
        Array.Clear(frames, 0, high); // do not keep the graph alive through the thread-static stack
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
