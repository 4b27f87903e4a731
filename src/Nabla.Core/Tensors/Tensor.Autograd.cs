using System.Numerics;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    private bool requiresGrad;

    /// <summary>How this tensor was computed, or null for a leaf (a tensor made from data).</summary>
    internal GradNode<T>? Node;

    /// <summary>
    /// True when gradients flow to this tensor: set on leaves (parameters, inputs) by the user; true on every
    /// tensor computed from one while recording. Setting it on a computed tensor throws.
    /// </summary>
    public bool RequiresGrad
    {
        get => requiresGrad || Node is not null;
        set
        {
            if (Node is not null) throw new NablaException("RequiresGrad can only be set on a leaf tensor; use Detach() to make one");
            requiresGrad = value;
            if (value && HasStore && Store.Scope is not null) TensorScope.Unscope(Store);   // a parameter outlives every scope
        }
    }

    /// <summary>True for a tensor made from data rather than computed by a recorded op.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>The op that produced this tensor (e.g. <c>matmul</c>), or null for a leaf.</summary>
    public string? OpName => Node?.Name;

    /// <summary>
    /// ∂(output)/∂(this), accumulated (added) by every <see cref="Backward(bool)"/> through this tensor; null until then.
    /// Kept on leaves; computed tensors drop theirs after use unless <see cref="RetainGrad"/> was called.
    /// </summary>
    public Tensor<T>? Grad
    {
        get;
        set => field = value is null || value.ShapeArray.AsSpan().SequenceEqual(ShapeArray) ? value
            : throw new NablaException($"gradient of shape {Shapes.Format(value.ShapeArray)} does not match tensor shape {Shapes.Format(ShapeArray)}");
    }

    internal bool RetainsGrad { get; private set; }

    /// <summary>
    /// Called during a Backward pass when this leaf's gradient for that pass is final: once per leaf per pass, right after
    /// the last rule that adds into it ran (so leaves nearer the output come first, in reverse topological order).
    /// The hook for data-parallel training (start reducing a parameter's gradient while backward goes on). It must not
    /// write the gradient's shape or replace it; it may read or overwrite its values.
    /// </summary>
    internal Action<Tensor<T>>? OnGradReady;

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for <c>Tensor.Ones(3).RequireGrad()</c>.</summary>
    public Tensor<T> RequireGrad(bool requires = true)
    {
        RequiresGrad = requires;
        return this;
    }

    /// <summary>Keeps this computed tensor's <see cref="Grad"/> after backward (leaves always keep theirs).</summary>
    public Tensor<T> RetainGrad()
    {
        RetainsGrad = true;
        return this;
    }

    /// <summary>Sets the gradient to zeros in place (keeping its buffer), so the next backward starts from 0.</summary>
    public void ZeroGrad() => Grad?.Fill(T.Zero);

    /// <summary>A leaf that shares this tensor's storage but records nothing and requires no grad.</summary>
    public Tensor<T> Detach() => new(Store, Offset, ShapeArray, StridesArray);

    /// <summary>
    /// Reverse-mode differentiation from a one-element output: adds ∂this/∂x to x.Grad for every x it depends on.
    /// Afterwards the graph's saved values are freed (as in PyTorch), so a second Backward through it throws; pass
    /// <paramref name="retainGraph"/> true to keep them. Throws when a tensor the graph saved was overwritten in place since.
    /// </summary>
    public void Backward(bool retainGraph = false)
    {
        if (ElementCount != 1)
            throw new NablaException($"Backward() needs a one-element output, got shape {Shapes.Format(ShapeArray)}; pass the upstream gradient with Backward(upstream)");
        Autograd.Backward(this, Ones(ShapeArray), retainGraph);
    }

    /// <summary>
    /// Reverse-mode differentiation seeded with ∂L/∂this = <paramref name="upstream"/> (same shape as this tensor); the
    /// graph is freed afterwards unless <paramref name="retainGraph"/>, as in <see cref="Backward(bool)"/>.
    /// </summary>
    public void Backward(Tensor<T> upstream, bool retainGraph = false) => Autograd.Backward(this, upstream, retainGraph);

    /// <summary>
    /// Attaches a rule to a freshly computed <paramref name="y"/> when recording and some input requires grad, saving
    /// every input and <paramref name="y"/> itself for the version check (conservative: prefer the overload that names
    /// what the rule reads).
    /// </summary>
    internal static Tensor<T> Record(Tensor<T> y, string name, Tensor<T>[] inputs, BackwardRule<T> rule, TangentRule<T>? tangent = null)
    {
        if (!Recording(inputs)) return y;
        var saved = new SavedTensor<T>[inputs.Length + 1];
        for (int i = 0; i < inputs.Length; i++) saved[i] = new(inputs[i], inputs[i].Store.Version);
        saved[^1] = new(y, y.Store.Version);
        y.Node = new GradNode<T>(name, inputs, saved, rule, tangent);
        return y;
    }

    /// <summary>
    /// Attaches a rule to a freshly computed <paramref name="y"/> when recording and some input requires grad. The rule
    /// reads the values of exactly the tensors in <paramref name="saved"/> (inputs or y): their versions are recorded
    /// now and checked before the rule runs (see the notes at the top of Autograd.cs). <paramref name="tangent"/> is the
    /// op's forward-mode rule (every differentiable op has one; the op-table tests fail for an op without).
    /// </summary>
    internal static Tensor<T> Record(Tensor<T> y, string name, Tensor<T>[] inputs, ReadOnlySpan<Tensor<T>> saved, BackwardRule<T> rule,
        TangentRule<T>? tangent = null)
    {
        if (!Recording(inputs)) return y;
        var s = saved.Length == 0 ? [] : new SavedTensor<T>[saved.Length];
        for (int i = 0; i < s.Length; i++) s[i] = new(saved[i], saved[i].Store.Version);
        y.Node = new GradNode<T>(name, inputs, s, rule, tangent);
        return y;
    }

    /// <summary>True when recording and any of <paramref name="inputs"/> requires grad.</summary>
    internal static bool Recording(params ReadOnlySpan<Tensor<T>> inputs)
    {
        // Inputs first: the NoGrad flag is a thread-static read, needed only when something could be recorded.
        foreach (var x in inputs) if (x.RequiresGrad) return !NoGrad.IsActive;
        return false;
    }
}
