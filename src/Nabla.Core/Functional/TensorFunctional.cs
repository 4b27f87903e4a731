using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Functional;

/// <summary>
/// Function transforms on the tensor engine, in the style of <c>torch.autograd.functional</c> and JAX:
/// <see cref="Vjp"/> (reverse mode: the value and a pullback u ↦ uᵀ·J), <see cref="Jvp"/> (forward mode: the value and
/// J·v in one sweep), <see cref="Jacobian"/> (forward or reverse mode, whichever needs fewer passes),
/// <see cref="Hvp"/> and <see cref="Hessian"/> (second derivatives, reverse-over-forward).
/// <para>
/// Forward mode works on the recorded graph: f runs once on a recorded copy of x, then one sweep in topological order
/// runs each op's tangent rule (beside its backward rule in the op) from the seed x ↦ v. Tangents are kept per sweep,
/// never on tensors, so derivatives nest without confusing their perturbations: a <see cref="Jvp"/> inside f sees only
/// its own seed. x itself is never marked or modified.
/// </para>
/// </summary>
public static partial class TensorFunctional
{
    /// <summary>
    /// f(x) and its pullback: given u shaped like f(x), the pullback returns uᵀ·J = Σᵢ uᵢ·∂fᵢ/∂x, shaped like x.
    /// The pullback may be called any number of times (the graph is kept for it).
    /// </summary>
    public static (Tensor<T> Value, Func<Tensor<T>, Tensor<T>> Pullback) Vjp<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var (input, y) = Run(f, x, "Vjp");
        var shape = y.Shape.ToArray();
        Tensor<T> Pullback(Tensor<T> u)
        {
            if (!u.Shape.SequenceEqual(shape))
                throw new NablaException($"the pullback takes a tensor shaped like f(x), {Shapes.Format(shape)}, not {Shapes.Format(u.Shape.ToArray())}");
            return Pull(input, y, u);
        }
        return (y.Detach(), Pullback);
    }

    /// <summary>
    /// f(x) and the directional derivative J·v = Σⱼ ∂f/∂xⱼ·vⱼ (shaped like f(x)) by forward mode: f runs once, then one
    /// tangent sweep over its graph, about the cost of one more evaluation. <paramref name="v"/> has x's shape.
    /// When x or v is itself recorded, or f reads another tensor that requires grad (a Jvp inside a function being
    /// differentiated, closing over its variable), both results stay recorded, so the enclosing derivative
    /// differentiates through them; the inner seed never leaks into the outer derivative.
    /// </summary>
    public static (Tensor<T> Value, Tensor<T> Tangent) Jvp<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x, Tensor<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(v);
        RequireShape(v, x, "the direction v");
        var (input, y) = Run(f, x, "Jvp", nested: x.RequiresGrad);
        if (x.RequiresGrad || v.RequiresGrad || ReadsOtherLeaves(y, input)) return (y, Tangents.Propagate(y, input, v) ?? Tensor<T>.Zeros([.. y.Shape]));
        Tensor<T>? t;
        using (NoGrad.Scope()) t = Tangents.Propagate(y, input, v);
        return (y.Detach(), t is null ? Tensor<T>.Zeros([.. y.Shape]) : Tensor<T>.FromArray(t.ToArray(), [.. y.Shape]));
    }

    /// <summary>
    /// Runs f on the input it differentiates: a fresh leaf copy of x that requires grad, or with
    /// <paramref name="nested"/> a recorded copy of x so that enclosing derivatives still see through it.
    /// </summary>
    private static (Tensor<T> Input, Tensor<T> Output) Run<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x, string what, bool nested = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (NoGrad.IsActive)
            throw new NablaException($"{what} records f's operations to differentiate them, so it cannot run inside a NoGrad scope");
        var input = nested && x.RequiresGrad ? x.Clone() : Tensor<T>.FromArray(x.ToArray(), [.. x.Shape]).RequireGrad();
        var y = f(input) ?? throw new NablaException($"{what}: f returned null");
        return (input, y);
    }

    /// <summary>uᵀ·∂y/∂input as a fresh tensor, keeping the graph; the gradients of other leaves f reads are left as they were.</summary>
    private static Tensor<T> Pull<T>(Tensor<T> input, Tensor<T> y, Tensor<T> u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!y.RequiresGrad) return Tensor<T>.Zeros([.. input.Shape]);  // f(x) does not depend on x
        var others = OtherLeafGradients(y, input);
        input.Grad = null;
        y.Backward(u, retainGraph: true);
        var g = input.Grad;
        input.Grad = null;
        foreach (var (leaf, grad) in others) leaf.Grad = grad;
        return g is null ? Tensor<T>.Zeros([.. input.Shape]) : Tensor<T>.FromArray(g.ToArray(), [.. input.Shape]);
    }

    /// <summary>
    /// The leaves other than <paramref name="input"/> that a backward pass from <paramref name="y"/> would add into (parameters
    /// f closes over), each with a copy of its gradient, so it can be put back: a transform must not change them.
    /// </summary>
    private static List<(Tensor<T> Leaf, Tensor<T>? Grad)> OtherLeafGradients<T>(Tensor<T> y, Tensor<T> input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var others = new List<(Tensor<T>, Tensor<T>?)>();
        foreach (var t in Autograd.TopologicalOrder(y))
            if (t.IsLeaf && !ReferenceEquals(t, input))
                others.Add((t, t.Grad is null ? null : Tensor<T>.FromArray(t.Grad.ToArray(), [.. t.Shape])));
        return others;
    }

    /// <summary>True when y's graph reaches a tensor that requires grad other than through <paramref name="input"/>.</summary>
    private static bool ReadsOtherLeaves<T>(Tensor<T> y, Tensor<T> input) where T : unmanaged, IFloatingPointIeee754<T> =>
        Autograd.TopologicalOrder(y).Any(t => t.IsLeaf && !ReferenceEquals(t, input));

    private static void RequireShape<T>(Tensor<T> v, Tensor<T> x, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!v.Shape.SequenceEqual(x.Shape))
            throw new NablaException($"{what} must have x's shape {Shapes.Format([.. x.Shape])}, not {Shapes.Format([.. v.Shape])}");
    }
}
