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
        }
    }

    /// <summary>True for a tensor made from data rather than computed by a recorded op.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>The op that produced this tensor (e.g. <c>matmul</c>), or null for a leaf.</summary>
    public string? OpName => Node?.Name;

    /// <summary>
    /// ∂(output)/∂(this), accumulated (added) by every <see cref="Backward()"/> through this tensor; null until then.
    /// Kept on leaves; computed tensors drop theirs after use unless <see cref="RetainGrad"/> was called.
    /// </summary>
    public Tensor<T>? Grad
    {
        get;
        set => field = value is null || value.ShapeArray.AsSpan().SequenceEqual(ShapeArray) ? value
            : throw new NablaException($"gradient of shape {Shapes.Format(value.ShapeArray)} does not match tensor shape {Shapes.Format(ShapeArray)}");
    }

    internal bool RetainsGrad { get; private set; }

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
    public Tensor<T> Detach() => new(Storage, Offset, ShapeArray, StridesArray);

    /// <summary>Reverse-mode differentiation from a one-element output: adds ∂this/∂x to x.Grad for every x it depends on.</summary>
    public void Backward()
    {
        if (ElementCount != 1)
            throw new NablaException($"Backward() needs a one-element output, got shape {Shapes.Format(ShapeArray)}; pass the upstream gradient with Backward(upstream)");
        Autograd.Backward(this, Ones(ShapeArray));
    }

    /// <summary>Reverse-mode differentiation seeded with ∂L/∂this = <paramref name="upstream"/> (same shape as this tensor).</summary>
    public void Backward(Tensor<T> upstream) => Autograd.Backward(this, upstream);

    /// <summary>As <see cref="Backward(Tensor{T})"/>, calling <paramref name="leafReady"/> with each leaf as soon as its gradient is final.</summary>
    internal void Backward(Tensor<T> upstream, Action<Tensor<T>> leafReady) => Autograd.Backward(this, upstream, leafReady);

    /// <summary>Attaches a rule to a freshly computed <paramref name="y"/> when recording and some input requires grad.</summary>
    internal static Tensor<T> Record(Tensor<T> y, string name, Tensor<T>[] inputs, BackwardRule<T> rule)
    {
        if (NoGrad.IsActive) return y;
        foreach (var x in inputs)
            if (x.RequiresGrad) { y.Node = new GradNode<T>(name, inputs, rule); return y; }
        return y;
    }

    /// <summary>True when recording and any of <paramref name="inputs"/> requires grad.</summary>
    internal static bool Recording(params ReadOnlySpan<Tensor<T>> inputs)
    {
        if (NoGrad.IsActive) return false;
        foreach (var x in inputs) if (x.RequiresGrad) return true;
        return false;
    }
}
