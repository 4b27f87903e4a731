using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Reflection;

namespace Nabla.Tensors;

/// <summary>
/// An op over whole tensors with its own derivative rules, like PyTorch's <c>torch.autograd.Function</c>: subclass it,
/// write <see cref="Forward"/> and <see cref="Backward"/> (and <see cref="Jvp"/> for forward mode and Hessians), and
/// call <see cref="Apply"/>, which records one graph node named <see cref="Name"/>.
/// <para>
/// An instance holds only configuration (a clamp's bounds, an axis) and may be applied any number of times, also from
/// several threads; what one call keeps for its backward lives in the <see cref="FunctionContext{T}"/> made for it.
/// </para>
/// <para>
/// Gradient rules: <see cref="Backward"/> runs without recording (like every built-in rule), so it may use any tensor
/// op or plain loops over spans. <see cref="Jvp"/> runs while recording when a Hessian is taken (reverse over forward,
/// see <c>TensorFunctional.Hvp</c>), so it must be written with tensor ops over the inputs, the output and tensors
/// saved from them, for the second derivative to be right. Backward itself is never differentiated.
/// </para>
/// </summary>
// The annotation keeps a subclass's methods when trimmed, so HasJvp's look-up of a Jvp override stays trim-safe.
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)]
public abstract class Function<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly ConcurrentDictionary<Type, bool> OverridesJvp = new();
    private static readonly Type[] JvpParameters = [typeof(FunctionContext<T>), typeof(ReadOnlySpan<Tensor<T>>)];

    /// <summary>The name in graph nodes and error messages: the class name without its generic arity (<c>LogSumExp</c> for <c>LogSumExp`1</c>).</summary>
    public virtual string Name
    {
        get
        {
            string name = GetType().Name;
            int tick = name.IndexOf('`');
            return tick < 0 ? name : name[..tick];
        }
    }

    /// <summary>True when the subclass overrides <see cref="Jvp"/>, so forward mode (Jvp, Jacobian, Hessian) can go through it.</summary>
    public bool HasJvp
    {
        get
        {
            var type = GetType();
            if (OverridesJvp.TryGetValue(type, out bool has)) return has;
            var method = type.GetMethod(nameof(Jvp), BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, JvpParameters);
            return OverridesJvp[type] = method!.DeclaringType != typeof(Function<T>);
        }
    }

    /// <summary>
    /// Computes the output from <paramref name="inputs"/> (in the order given to <see cref="Apply"/>). Runs without
    /// recording. Save what Backward reads with <see cref="FunctionContext{T}.SaveForBackward"/> and other values with
    /// <see cref="FunctionContext{T}.Set{TValue}"/>. Must not write its inputs in place (read them with
    /// <c>AsReadOnlySpan</c>, not <c>AsSpan</c>); may return a new tensor, a view, or an input.
    /// </summary>
    protected abstract Tensor<T> Forward(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>> inputs);

    /// <summary>
    /// One gradient per input from the output's gradient <paramref name="gradOutput"/> (contiguous, the output's shape;
    /// read it, never write it or keep it after returning): ∂L/∂inputᵢ = Σ gradOutput·∂output/∂inputᵢ. An entry may be
    /// null (no gradient, or the input needs none: see <see cref="FunctionContext{T}.NeedsInputGrad"/>). A gradient has
    /// the input's shape, or a shape the input broadcasts to, which the engine sums down as for built-in ops.
    /// </summary>
    protected abstract Tensor<T>?[] Backward(FunctionContext<T> ctx, Tensor<T> gradOutput);

    /// <summary>
    /// Forward mode: the output's tangent J·t = Σᵢ ∂output/∂inputᵢ·tangentsᵢ, where a null tangent is zero; return null
    /// for a zero tangent. The result has the output's shape or one that broadcasts to it. Written with tensor ops (it
    /// records when a Hessian is taken). Without an override, forward mode through this function throws.
    /// </summary>
    protected virtual Tensor<T>? Jvp(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>?> tangents) =>
        throw new NablaException($"{Name} has no tangent rule, so forward mode (Jvp, Hessian) cannot go through it; override Jvp to give it one");

    /// <summary>
    /// Runs <see cref="Forward"/> on <paramref name="inputs"/> and, when recording and some input requires grad, records
    /// one graph node whose gradient rule is <see cref="Backward"/> and whose tangent rule is <see cref="Jvp"/> (if
    /// overridden). The output requires grad exactly when such a node was recorded, as for built-in ops.
    /// </summary>
    public Tensor<T> Apply(params Tensor<T>[] inputs)
    {
        if (inputs is null) throw new NablaArgumentException(nameof(inputs), $"{Name}.Apply: inputs is null");
        inputs = (Tensor<T>[])inputs.Clone();   // the node keeps them; the caller may reuse its array
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new NablaArgumentException(nameof(inputs), $"{Name}.Apply: input {i} is null");
        bool recording = Tensor<T>.Recording(inputs);
        var needs = new bool[inputs.Length];
        var versions = new int[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            needs[i] = recording && inputs[i].RequiresGrad;
            versions[i] = inputs[i].Store.Version;
        }
        var ctx = new FunctionContext<T>(Name, needs) { InForward = true };
        Tensor<T> y;
        using (NoGrad.Scope())
        {
            try { y = Forward(ctx, inputs) ?? throw new NablaException($"{Name}.Forward returned null; it must return the output tensor"); }
            finally { ctx.InForward = false; }
        }
        if (!recording) return y;
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i].Store.Version != versions[i])
                throw new NablaException($"{Name}.Forward wrote input {i} (shape {Shapes.Format(inputs[i].ShapeArray)}) in place (storage version {versions[i]} "
                    + $"before, {inputs[i].Store.Version} after), so its gradient would use the new values; read inputs with AsReadOnlySpan() and return a new tensor");
        // The output gets this call's node; an input, or any tensor that already requires grad, is shared through a view.
        if (y.RequiresGrad || Array.IndexOf(inputs, y) >= 0) y = y.Detach();
        return Tensor<T>.Record(y, Name, inputs, ctx.SavedSpan, BackwardRule(ctx, inputs), HasJvp ? TangentRule(ctx, y.ShapeArray) : null);
    }

    private BackwardRule<T> BackwardRule(FunctionContext<T> ctx, Tensor<T>[] inputs)
    {
        var shapes = new int[inputs.Length][];
        for (int i = 0; i < inputs.Length; i++) shapes[i] = inputs[i].ShapeArray;
        return (dy, sink) =>
        {
            var grads = Backward(ctx, dy);
            if (grads is null || grads.Length != shapes.Length)
                throw new NablaException($"{Name}.Backward returned {(grads is null ? "null" : $"{grads.Length} gradient{(grads.Length == 1 ? "" : "s")}")} "
                    + $"for {shapes.Length} input{(shapes.Length == 1 ? "" : "s")}; return one per input, null for an input that needs none");
            for (int i = 0; i < grads.Length; i++)
            {
                var g = grads[i];
                if (g is null) continue;
                if (!g.ShapeArray.AsSpan().SequenceEqual(shapes[i]) && !Shapes.BroadcastsTo(shapes[i], g.ShapeArray))
                    throw new NablaException($"{Name}.Backward returned a gradient of shape {Shapes.Format(g.ShapeArray)} for input {i} of shape "
                        + $"{Shapes.Format(shapes[i])}; it must have the input's shape (or a shape the input broadcasts to, which is summed down)");
                // Not owned: the rule may return gradOutput, a saved tensor, or a tensor it keeps; the engine copies.
                if (sink.Needs(i)) sink.Add(i, g, owned: false);
            }
        };
    }

    private TangentRule<T> TangentRule(FunctionContext<T> ctx, int[] outputShape) => tangents =>
    {
        var t = Jvp(ctx, tangents);
        if (t is not null && !t.ShapeArray.AsSpan().SequenceEqual(outputShape) && !Shapes.BroadcastsTo(t.ShapeArray, outputShape))
            throw new NablaException($"{Name}.Jvp returned a tangent of shape {Shapes.Format(t.ShapeArray)} for an output of shape "
                + $"{Shapes.Format(outputShape)}; it must have the output's shape (or one that broadcasts to it)");
        return t;
    };
}
