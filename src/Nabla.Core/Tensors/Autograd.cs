using System.Numerics;

namespace Nabla.Tensors;

/// <summary>
/// A derivative rule: given the gradient of the op's output (contiguous, the output's shape), it hands each
/// input's gradient to the sink. A gradient may have the output's broadcast shape; the engine sums it down.
/// </summary>
internal delegate void BackwardRule<T>(Tensor<T> dy, GradSink<T> sink) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>How an output tensor was made: the op's name, its inputs and its derivative rule.</summary>
internal sealed class GradNode<T>(string name, Tensor<T>[] inputs, BackwardRule<T> rule)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name { get; } = name;
    public Tensor<T>[] Inputs { get; } = inputs;
    public BackwardRule<T> Rule { get; } = rule;
}

/// <summary>Where a rule delivers input gradients; all accumulation and un-broadcasting happens here, once.</summary>
internal readonly struct GradSink<T>(Tensor<T>[] inputs) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>True when input <paramref name="i"/> wants a gradient (rules skip work for the others).</summary>
    public bool Needs(int i) => inputs[i].RequiresGrad;

    /// <summary>
    /// Adds <paramref name="g"/> to input <paramref name="i"/>'s gradient. <paramref name="g"/> has the input's shape or a
    /// shape the input broadcasts to (then it is summed over the broadcast dimensions). When <paramref name="owned"/>
    /// (a fresh array nobody else holds) and the input has no gradient yet, g becomes the gradient without a copy.
    /// </summary>
    public void Add(int i, Tensor<T> g, bool owned) => Autograd.Accumulate(inputs[i], g, owned);

    /// <summary>Input <paramref name="i"/>'s gradient buffer (created as zeros if absent) for rules that add into it directly.</summary>
    public Span<T> Buffer(int i) => Autograd.Buffer(inputs[i]).AsSpan();
}

/// <summary>The reverse pass: topological order by an explicit stack, then every rule once, outputs before inputs.</summary>
internal static class Autograd
{
    /// <summary>Runs every rule from <paramref name="root"/>, seeded with ∂L/∂root = <paramref name="upstream"/>.</summary>
    /// <param name="root">The output to differentiate.</param>
    /// <param name="upstream">Its gradient, of its shape.</param>
    /// <param name="leafReady">Called with each leaf that requires grad as soon as its gradient is final (every rule
    /// that feeds it has run), while backward goes on: data-parallel training starts reducing those gradients then.</param>
    public static void Backward<T>(Tensor<T> root, Tensor<T> upstream, Action<Tensor<T>>? leafReady = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!root.RequiresGrad)
            throw new NablaException("Backward was called on a tensor that does not require grad (no input had RequiresGrad set, or it was made under NoGrad)");
        if (!root.ShapeArray.AsSpan().SequenceEqual(upstream.ShapeArray))
            throw new NablaException($"upstream gradient of shape {Shapes.Format(upstream.ShapeArray)} does not match output shape {Shapes.Format(root.ShapeArray)} in backward");
        var order = TopologicalOrder(root);
        using var scope = NoGrad.Scope();
        // A computed root's gradient is read by its rule and dropped, never written, so it may alias the caller's upstream.
        Accumulate(root, upstream, owned: root.Node is not null && !root.RetainsGrad);
        var pending = leafReady is null ? null : LeafConsumers(order);
        if (leafReady is not null && root.Node is null) leafReady(root);
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (t.Node is null) continue;
            if (t.Grad is not null) t.Node.Rule(t.Grad, new GradSink<T>(t.Node.Inputs));
            if (!t.RetainsGrad) t.Grad = null;
            if (pending is not null)
                foreach (var x in t.Node.Inputs)
                    if (x.Node is null && x.RequiresGrad && --pending[x] == 0) leafReady!(x);
        }
    }

    /// <summary>How many input slots of computed tensors in <paramref name="order"/> each leaf fills.</summary>
    private static Dictionary<Tensor<T>, int> LeafConsumers<T>(List<Tensor<T>> order) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var count = new Dictionary<Tensor<T>, int>(ReferenceEqualityComparer.Instance);
        foreach (var t in order)
            if (t.Node is not null)
                foreach (var x in t.Node.Inputs)
                    if (x.Node is null && x.RequiresGrad) count[x] = count.GetValueOrDefault(x) + 1;
        return count;
    }

    /// <summary>Every tensor the root depends on that requires grad, inputs before the outputs made from them.</summary>
    public static List<Tensor<T>> TopologicalOrder<T>(Tensor<T> root) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var order = new List<Tensor<T>>();
        var visited = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor<T> Tensor, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (t, expanded) = stack.Pop();
            if (expanded) { order.Add(t); continue; }
            if (!visited.Add(t)) continue;
            stack.Push((t, true));
            if (t.Node is null) continue;
            foreach (var input in t.Node.Inputs)
                if (input.RequiresGrad && !visited.Contains(input)) stack.Push((input, false));
        }
        return order;
    }

    public static void Accumulate<T>(Tensor<T> x, Tensor<T> g, bool owned) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.ShapeArray.AsSpan().SequenceEqual(g.ShapeArray))
        {
            if (x.Grad is null)
            {
                x.Grad = owned && g.IsContiguous && g.Node is null ? g
                    : new Tensor<T>(g.IsContiguous ? g.ContiguousSpan().ToArray() : Kernels.Gather(g), x.ShapeArray);
                return;
            }
            var buf = Buffer(x);
            Kernels.Accumulate(buf.Storage, buf.Offset, buf.StridesArray, g, overwrite: false);
            return;
        }
        if (!Shapes.BroadcastsTo(x.ShapeArray, g.ShapeArray))
            throw new InvalidOperationException($"a rule returned a gradient of shape {Shapes.Format(g.ShapeArray)} for an input of shape {Shapes.Format(x.ShapeArray)}");
        var target = Buffer(x);
        Kernels.Accumulate(target.Storage, target.Offset, Shapes.BroadcastStrides(x.ShapeArray, target.StridesArray, g.ShapeArray), g, overwrite: false);
    }

    /// <summary>x's gradient as a contiguous tensor of x's shape, created as zeros when absent.</summary>
    public static Tensor<T> Buffer<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Grad is { IsContiguous: true } g) return g;
        var fresh = new Tensor<T>(new T[x.ElementCount], x.ShapeArray);
        if (x.Grad is not null) fresh.CopyFrom(x.Grad);
        x.Grad = fresh;
        return fresh;
    }
}
