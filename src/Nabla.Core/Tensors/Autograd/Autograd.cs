using System.Numerics;

namespace Nabla.Tensors;

// How an op records itself (the internal API every tensor op uses; new ops follow the same three steps):
//
//   var y = Dense(kernelResult, shape, like);                 // 1. compute the output (no graph yet)
//   if (!Recording(a, b)) return y;                           // 2. nothing to record: done
//   return Record(y, "myop", [a, b], saved: [a, y], (dy, sink) =>   // 3. attach the derivative rule
//   {
//       if (sink.Needs(0)) sink.Add(0, gradientForA, owned: true);  // fresh tensor: becomes a.Grad without a copy, or goes
//                                                                   // back to the pool once added (pass it once, keep no reference)
//       if (sink.Needs(1)) { var buf = sink.Buffer(1); ... buf[i] += ...; }   // or add straight into b's buffer
//   }, ts => ...);                                                  // and the tangent rule: J·t from ts (null = 0),
//                                                                   // written with tensor ops (forward mode, Hessians)
//
// `saved` lists every tensor whose VALUES the rule reads (inputs or the output). The node records each with its storage
// version; before the rule runs, Backward checks that none was overwritten in place since (see TensorStorage) and throws
// a NablaException naming the op otherwise. Tensors the rule only needs the shape of are not saved. The overload
// without `saved` conservatively saves every input and the output. The rule may capture what it needs in its closure
// (the saved tensors, shapes, private scratch arrays); after Backward the node drops the rule and the saved list (the
// graph is freed, as in PyTorch) unless Backward was asked to retain the graph.

/// <summary>
/// A derivative rule: given the gradient of the op's output (contiguous, the output's shape), it hands each
/// input's gradient to the sink. A gradient may have the output's broadcast shape; the engine sums it down.
/// </summary>
internal delegate void BackwardRule<T>(Tensor<T> dy, GradSink<T> sink) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// A tangent (forward-mode) rule: given each input's tangent (null where it is zero), the output's tangent J·t (null when
/// zero; a shape that broadcasts to the output's is expanded). Written with tensor ops, so when it runs while recording,
/// a reverse pass over the tangent differentiates it again (second derivatives, see Functional/TensorFunctional).
/// </summary>
internal delegate Tensor<T>? TangentRule<T>(Tensor<T>?[] tangents) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>A tensor a rule reads in backward, with the storage version it had when the op ran.</summary>
internal readonly record struct SavedTensor<T>(Tensor<T> Tensor, int Version) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>How an output tensor was made: the op's name, its inputs, what its rules saved, and the rules themselves.</summary>
internal sealed class GradNode<T>(string name, Tensor<T>[] inputs, SavedTensor<T>[] saved, BackwardRule<T> rule, TangentRule<T>? tangent = null)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name { get; } = name;
    public Tensor<T>[] Inputs { get; private set; } = inputs;

    /// <summary>The tensors the rule reads, each with its version at save time; empty once freed.</summary>
    public SavedTensor<T>[] Saved { get; private set; } = saved;

    /// <summary>The rule, or null once Backward freed this node.</summary>
    public BackwardRule<T>? Rule { get; private set; } = rule;

    /// <summary>The tangent rule (forward mode), or null when the op has none or the node was freed.</summary>
    public TangentRule<T>? Tangent { get; private set; } = tangent;

    /// <summary>Runs once when the node is freed: an op that keeps private workspaces for its rule gives them back here.</summary>
    public Action? OnFree { get; set; }

    /// <summary>
    /// Runs the rule for output <paramref name="y"/> with gradient <paramref name="dy"/>, after checking that nothing it
    /// saved was overwritten and that the node was not freed by an earlier Backward.
    /// </summary>
    public void Run(Tensor<T> y, Tensor<T> dy)
    {
        ThrowIfUnusable(y);
        Rule!(dy, new GradSink<T>(Inputs));
    }

    /// <summary>The tangent of output <paramref name="y"/> from its inputs' tangents, with the checks of <see cref="Run"/>.</summary>
    public Tensor<T>? RunTangent(Tensor<T> y, Tensor<T>?[] tangents)
    {
        ThrowIfUnusable(y);
        if (Tangent is null) throw new NablaException($"{Name} has no tangent rule, so forward mode (Jvp, Hessian) cannot go through it");
        return Tangent(tangents);
    }

    private void ThrowIfUnusable(Tensor<T> y)
    {
        if (Rule is null)
            throw new NablaException($"Backward through {Name} (output shape {Shapes.Format(y.ShapeArray)}) a second time: the first Backward() "
                + "freed what this graph saved for its gradients; call Backward(retainGraph: true) the first time to keep it, or recompute the forward pass");
        foreach (var (t, version) in Saved)
            if (t.IsReleased)
                throw new NablaException($"cannot run backward: a tensor of shape {Shapes.Format(t.ShapeArray)} that {Name} saved for its gradient "
                    + "was released when its TensorScope ended; call Backward() inside the scope, or keep the tensors the graph needs (scope.Keep(t))");
            else if (t.Store.Version != version)
                throw new NablaException($"cannot run backward: a tensor of shape {Shapes.Format(t.ShapeArray)} that {Name} saved for its gradient "
                    + $"was modified in place after {Name} ran (version {version} when saved, {t.Store.Version} now), so the gradient would use the new values. "
                    + "Clone it before writing (x.Clone()), or write it after Backward()");
    }

    /// <summary>
    /// Drops the rule, what it saved and the inputs, so their memory can go; a later Run throws. A private activation
    /// (input or <paramref name="output"/>) that no other live node reaches goes back to the pool (BufferPool rule 4).
    /// </summary>
    public void Free(Tensor<T> output)
    {
        if (Rule is null) return;
        OnFree?.Invoke();
        OnFree = null;
        foreach (var input in Inputs) BufferPool<T>.Unreference(input);
        BufferPool<T>.Unreference(output);
        Rule = null;
        Tangent = null;
        Saved = [];
        Inputs = [];
    }
}

/// <summary>Where a rule delivers input gradients; all accumulation and un-broadcasting happens here, once.</summary>
internal readonly struct GradSink<T>(Tensor<T>[] inputs) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>True when input <paramref name="i"/> wants a gradient (rules skip work for the others).</summary>
    public bool Needs(int i) => inputs[i].RequiresGrad;

    /// <summary>True when input <paramref name="i"/> has no gradient yet, so a rule may write (not add) a fresh one.</summary>
    public bool IsFirst(int i) => inputs[i].Grad is null;

    /// <summary>
    /// Adds <paramref name="g"/> to input <paramref name="i"/>'s gradient. <paramref name="g"/> has the input's shape or a
    /// shape the input broadcasts to (then it is summed over the broadcast dimensions). When <paramref name="owned"/>
    /// (a fresh tensor nobody else holds, passed once and not kept) and the input has no gradient yet, g becomes the
    /// gradient without a copy; otherwise, once added, its array goes back to the pool.
    /// </summary>
    public void Add(int i, Tensor<T> g, bool owned) => Autograd.Accumulate(inputs[i], g, owned);

    /// <summary>Input <paramref name="i"/>'s gradient buffer (created as zeros if absent) for rules that add into it directly.</summary>
    public Span<T> Buffer(int i)
    {
        var b = Autograd.Buffer(inputs[i]);
        return b.Storage.AsSpan(b.Offset, b.ElementCount);
    }
}

/// <summary>The reverse pass: topological order by an explicit stack, then every rule once, outputs before inputs.</summary>
internal static class Autograd
{
    public static void Backward<T>(Tensor<T> root, Tensor<T> upstream, bool retainGraph) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!root.RequiresGrad)
            throw new NablaException("Backward was called on a tensor that does not require grad (no input had RequiresGrad set, or it was made under NoGrad)");
        if (!root.ShapeArray.AsSpan().SequenceEqual(upstream.ShapeArray))
            throw new NablaException($"upstream gradient of shape {Shapes.Format(upstream.ShapeArray)} does not match output shape {Shapes.Format(root.ShapeArray)} in backward");
        if (root.IsReleased) Tensor<T>.ThrowReleased(root.ShapeArray);
        var order = TopologicalOrder(root);
        using var scope = NoGrad.Scope();
        // Gradients belong to their tensors, never to the user's TensorScope: no scope is open while rules run.
        var userScope = TensorScope.Suspend();
        try { Reverse(root, upstream, retainGraph, order); }
        finally { TensorScope.Resume(userScope); }
    }

    private static void Reverse<T>(Tensor<T> root, Tensor<T> upstream, bool retainGraph, List<Tensor<T>> order) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A computed root's gradient is read by its rule and dropped, never written, so it may alias the caller's upstream
        // (not marked as the root's own: the caller's array never goes to the pool).
        if (root.Node is not null && !root.RetainsGrad && root.Grad is null && upstream.IsContiguous && upstream.Node is null) root.Grad = upstream;
        else Accumulate(root, upstream, owned: false);
        var pending = LeafHooks(order);
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (t.Node is null || t.Grad is null) continue;
            t.Node.Run(t, t.Grad);
            if (pending is not null) ConsumerRan(t.Node.Inputs, pending);
            if (!retainGraph) t.Node.Free(t);
            if (!t.RetainsGrad)
            {
                var used = t.Grad;
                t.Grad = null;
                BufferPool<T>.Release(t, used);   // a non-retained gradient is dead once its rule ran
            }
        }
        // A hooked leaf whose readers did not all run (the root itself, or a rule that had no gradient to pass) fires last.
        if (pending is not null)
            foreach (var (leaf, n) in pending)
                if (n != 0 || ReferenceEquals(leaf, root)) { if (leaf.Grad is not null) leaf.OnGradReady!(leaf); }
    }

    /// <summary>
    /// For the leaves in <paramref name="order"/> that have an <see cref="Tensor{T}.OnGradReady"/> hook, how many rule
    /// inputs still read them (one per use); null when no leaf has a hook, so a plain pass pays nothing.
    /// </summary>
    private static Dictionary<Tensor<T>, int>? LeafHooks<T>(List<Tensor<T>> order) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dictionary<Tensor<T>, int>? pending = null;
        foreach (var t in order)
            if (t.Node is null && t.OnGradReady is not null) (pending ??= new(ReferenceEqualityComparer.Instance))[t] = 0;
        if (pending is null) return null;
        foreach (var t in order)
            if (t.Node is not null)
                foreach (var input in t.Node.Inputs)
                    if (pending.TryGetValue(input, out int n)) pending[input] = n + 1;
        return pending;
    }

    /// <summary>A rule over <paramref name="inputs"/> ran: a hooked leaf whose last reader this was has its final gradient.</summary>
    private static void ConsumerRan<T>(Tensor<T>[] inputs, Dictionary<Tensor<T>, int> pending) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var input in inputs)
        {
            if (!pending.TryGetValue(input, out int n)) continue;
            pending[input] = --n;
            if (n == 0 && input.Grad is not null) input.OnGradReady!(input);
        }
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
                if (owned && g.IsContiguous && g.Node is null && !g.Store.Private)
                {
                    x.Grad = g;
                    g.Store.Owner = x;   // a rented gradient goes back only through the tensor that adopted it
                    g.Store.Pooled = g.Offset == 0 && g.Storage.Length == g.ElementCount;
                    return;
                }
                var copy = BufferPool<T>.RentTensor(x.ShapeArray);
                ElementwiseLoops.Accumulate(copy.Storage, 0, copy.StridesArray, g, overwrite: true);
                x.Grad = copy;
                copy.Store.Owner = x;
            }
            else
            {
                var buf = Buffer(x);
                ElementwiseLoops.Accumulate(buf.Storage, buf.Offset, buf.StridesArray, g, overwrite: false);
            }
        }
        else
        {
            if (!Shapes.BroadcastsTo(x.ShapeArray, g.ShapeArray))
                throw new InvalidOperationException($"a rule returned a gradient of shape {Shapes.Format(g.ShapeArray)} for an input of shape {Shapes.Format(x.ShapeArray)}");
            var target = Buffer(x);
            ElementwiseLoops.Accumulate(target.Storage, target.Offset, Shapes.BroadcastStrides(x.ShapeArray, target.StridesArray, g.ShapeArray), g, overwrite: false);
        }
        if (owned) BufferPool<T>.Recycle(g);   // added in, not adopted: the rule's fresh tensor is dead (pool rule 3)
    }

    /// <summary>
    /// x's gradient as a contiguous tensor of x's shape, created as zeros when absent. Its version is bumped: the
    /// caller is about to add into it, and a graph that read the old gradient must notice.
    /// </summary>
    public static Tensor<T> Buffer<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Grad is { IsContiguous: true } g)
        {
            g.Store.Version++;
            return g;
        }
        var fresh = BufferPool<T>.RentTensor(x.ShapeArray);
        if (x.Grad is not null) fresh.CopyFrom(x.Grad);
        else fresh.Storage.AsSpan().Clear();
        x.Grad = fresh;
        fresh.Store.Owner = x;
        return fresh;
    }
}
