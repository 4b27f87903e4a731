using Nabla.Ops;

namespace Nabla.Scalars;

// Forward mode and second derivatives on a recorded graph: the graph is replayed on dual numbers, op by op from
// the op table, so the same graph that Backward walks also gives tangents and Hessians.
public sealed partial class Value : IDifferentiable<Value>
{
    double IDifferentiable<Value>.Real => Data;

    /// <summary>
    /// Forward mode: dnode/d<paramref name="seed"/> for this node and every node it depends on, by replaying the graph
    /// on dual numbers with <paramref name="seed"/> perturbed (tangent 1) and every other leaf held fixed.
    /// The tangent of this node equals the <see cref="Grad"/> that <see cref="Backward"/> gives <paramref name="seed"/>.
    /// </summary>
    public Dictionary<Value, double> Tangents(Value seed)
    {
        long tag = Dual.NewTag();
        var values = Replay(TopologicalOrder(), leaf => ReferenceEquals(leaf, seed) ? Dual.Perturbed(tag, leaf.Data, 1) : leaf.Data);
        var tangents = new Dictionary<Value, double>(ReferenceEqualityComparer.Instance);
        foreach (var (node, value) in values) tangents[node] = value.TangentOf(tag).Real;
        return tangents;
    }

    /// <summary>
    /// The Hessian ∂²this/∂wᵢ∂wⱼ over the leaves <paramref name="wrt"/>, by forward-over-reverse: per variable, one
    /// replay on dual numbers with that variable perturbed and one reverse pass whose adjoints are dual numbers (the
    /// op table's differentiable derivative rules), so row i is the tangent of the gradient. n passes of about the
    /// cost of a gradient each. Does not touch <see cref="Grad"/>. Every variable must be a leaf: the second
    /// derivative with respect to an intermediate node depends on what is held fixed while it moves, so one is refused.
    /// </summary>
    /// <exception cref="NablaArgumentException">A variable is not a leaf.</exception>
    public double[,] Hessian(IReadOnlyList<Value> wrt)
    {
        RequireLeaves(wrt, nameof(wrt));
        var order = TopologicalOrder();
        int n = wrt.Count;
        var hessian = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            long tag = Dual.NewTag();
            var seed = wrt[i];
            var values = Replay(order, leaf => ReferenceEquals(leaf, seed) ? Dual.Perturbed(tag, leaf.Data, 1) : leaf.Data);
            var adjoints = Adjoints(order, values);
            for (int j = 0; j < n; j++)
                hessian[i, j] = adjoints.TryGetValue(wrt[j], out var a) ? a.TangentOf(tag).Real : 0;
        }
        return hessian;
    }

    /// <summary>
    /// The Hessian-vector product H·v over the leaves <paramref name="wrt"/> at the cost of about one gradient, by
    /// forward-over-reverse: one replay on dual numbers with every leaf wᵢ perturbed by vᵢ (the same perturbation), then
    /// one reverse pass with dual adjoints; the tangent of ∂this/∂wᵢ is (H·v)ᵢ. Forward-over-reverse rather than
    /// reverse-over-reverse because the reverse pass stays the plain one (only its numbers change type) and nothing
    /// has to record the backward pass itself. Does not touch <see cref="Grad"/>.
    /// </summary>
    /// <exception cref="NablaException">A variable is not a leaf (a <see cref="NablaArgumentException"/>), or <paramref name="v"/> has another length.</exception>
    public double[] Hvp(IReadOnlyList<Value> wrt, IReadOnlyList<double> v)
    {
        RequireLeaves(wrt, nameof(wrt));
        if (v.Count != wrt.Count) throw new NablaException($"the vector has {v.Count} components but there are {wrt.Count} variables");
        var order = TopologicalOrder();
        long tag = Dual.NewTag();
        var direction = new Dictionary<Value, double>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < wrt.Count; i++) direction[wrt[i]] = direction.GetValueOrDefault(wrt[i]) + v[i];
        var values = Replay(order, leaf => direction.TryGetValue(leaf, out var d) ? Dual.Perturbed(tag, leaf.Data, d) : leaf.Data);
        var adjoints = Adjoints(order, values);
        return wrt.Select(w => adjoints.TryGetValue(w, out var a) ? a.TangentOf(tag).Real : 0).ToArray();
    }

    /// <summary>
    /// Refuses an intermediate node among the variables of a second derivative: the replay perturbs leaves only, so its
    /// row would silently be 0.
    /// </summary>
    private static void RequireLeaves(IReadOnlyList<Value> wrt, string parameter)
    {
        ArgumentNullException.ThrowIfNull(wrt);
        for (int i = 0; i < wrt.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(wrt[i], $"{parameter}[{i}]");
            if (!wrt[i].IsLeaf)
                throw new NablaArgumentException(parameter,
                    $"{parameter}[{i}]{(wrt[i].Label is { } l ? $" ({l})" : "")} is the output of '{wrt[i].Op}', not a variable: second derivatives are taken with respect to leaves " +
                    "(an intermediate node's second derivative depends on what is held fixed while it moves); make it a leaf of its own and build the rest on it");
        }
    }

    /// <summary>Every node of <paramref name="order"/> recomputed on numbers of type <typeparamref name="N"/>; leaves (not constants) from <paramref name="leaf"/>.</summary>
    internal static Dictionary<Value, N> Replay<N>(List<Value> order, Func<Value, N> leaf) where N : IDifferentiable<N>
    {
        var values = new Dictionary<Value, N>(ReferenceEqualityComparer.Instance);
        foreach (var node in order)
        {
            values[node] = node.A is null
                ? (node.IsConstant ? N.Constant(node.Data) : leaf(node))
                : node.Unary is { } u ? u.Apply(values[node.A]) : node.Binary!.Apply(values[node.A], values[node.B!]);
        }
        return values;
    }

    /// <summary>∂out/∂node on numbers of type <typeparamref name="N"/>, for the last node of <paramref name="order"/> (the output).</summary>
    internal static Dictionary<Value, N> Adjoints<N>(List<Value> order, Dictionary<Value, N> values) where N : IDifferentiable<N>
    {
        var adjoints = new Dictionary<Value, N>(ReferenceEqualityComparer.Instance) { [order[^1]] = N.Constant(1) };
        void Add(Value node, N amount) =>
            adjoints[node] = adjoints.TryGetValue(node, out var sum) ? sum + amount : amount;
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var node = order[k];
            if (node.A is null || !adjoints.TryGetValue(node, out var g)) continue;
            var a = node.A;
            if (node.Unary is { } u)
            {
                if (!a.IsConstant) Add(a, u.DerivativeOf(values[a], values[node]) * g);
                continue;
            }
            var b = node.B!;
            var op = node.Binary!;
            if (!a.IsConstant) Add(a, op.DerivativeAOf(values[a], values[b], values[node]) * g);
            if (!b.IsConstant) Add(b, op.DerivativeBOf(values[a], values[b], values[node]) * g);
        }
        return adjoints;
    }
}
