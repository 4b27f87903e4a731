using System.Numerics;

namespace Nabla.Tensors;

/// <summary>
/// What one call of a <see cref="Function{T}"/> keeps between its <c>Forward</c> and its <c>Backward</c>/<c>Jvp</c>
/// (PyTorch's <c>ctx</c>): the tensors saved for backward, which inputs need a gradient, and named non-tensor values.
/// A fresh context is made per <see cref="Function{T}.Apply"/>; it is written in Forward and only read afterwards,
/// so a graph kept with <c>Backward(retainGraph: true)</c> sees the same context on every pass.
/// </summary>
public sealed class FunctionContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool[] needsGrad;
    private Tensor<T>[]? saved;
    private Dictionary<string, object?>? values;

    internal FunctionContext(string functionName, bool[] needsGrad)
    {
        FunctionName = functionName;
        this.needsGrad = needsGrad;
    }

    /// <summary>The name of the function this context belongs to (as in error messages and <see cref="Tensor{T}.OpName"/>).</summary>
    public string FunctionName { get; }

    /// <summary>How many tensors were passed to <see cref="Function{T}.Apply"/>.</summary>
    public int InputCount => needsGrad.Length;

    /// <summary>True while the function's Forward runs: the only time the context may be written.</summary>
    internal bool InForward { get; set; }

    /// <summary>
    /// True when input <paramref name="index"/> will receive a gradient: it requires grad and the call was recorded
    /// (not under <see cref="NoGrad"/>). PyTorch's <c>needs_input_grad</c>: Forward may skip saving, and Backward may
    /// return null, for an input where this is false.
    /// </summary>
    public bool NeedsInputGrad(int index)
    {
        if ((uint)index >= (uint)needsGrad.Length)
            throw new NablaArgumentException(nameof(index), $"{FunctionName}: NeedsInputGrad({index}) is outside [0, {needsGrad.Length}): the function was applied to {needsGrad.Length} input{Plural(needsGrad.Length)}");
        return needsGrad[index];
    }

    /// <summary>
    /// Saves the tensors Backward (or Jvp) reads the values of, each with its storage version: if one is overwritten in
    /// place before the backward pass, that pass throws a <see cref="NablaException"/> naming this function instead of
    /// using the new values. Save inputs or the output rather than copies of them where Jvp reads them, so that a
    /// second derivative sees through them. Call once, in Forward.
    /// </summary>
    public void SaveForBackward(params Tensor<T>[] tensors)
    {
        RequireForward(nameof(SaveForBackward));
        if (tensors is null) throw new NablaArgumentException(nameof(tensors), $"{FunctionName}: SaveForBackward was given a null array");
        if (saved is not null)
            throw new NablaException($"{FunctionName}: SaveForBackward was already called in this Forward; pass every tensor Backward reads in one call");
        for (int i = 0; i < tensors.Length; i++)
            if (tensors[i] is null) throw new NablaArgumentException(nameof(tensors), $"{FunctionName}: SaveForBackward was given null at position {i}");
        saved = (Tensor<T>[])tensors.Clone();
    }

    /// <summary>How many tensors Forward saved.</summary>
    public int SavedCount => saved?.Length ?? 0;

    /// <summary>The saved tensor at <paramref name="index"/>, in the order given to <see cref="SaveForBackward"/>.</summary>
    public Tensor<T> Saved(int index)
    {
        int n = SavedCount;
        if ((uint)index >= (uint)n)
            throw new NablaArgumentException(nameof(index), $"{FunctionName}: saved tensor {index} is outside [0, {n}): Forward saved {n} tensor{Plural(n)} with SaveForBackward");
        return saved![index];
    }

    /// <summary>The saved tensors, for the engine's version check.</summary>
    internal ReadOnlySpan<Tensor<T>> SavedSpan => saved;

    /// <summary>
    /// Keeps a non-tensor value for Backward or Jvp under <paramref name="key"/> (an axis, a shape, a mask array, a
    /// constant). Call in Forward; a key may be set once.
    /// </summary>
    public void Set<TValue>(string key, TValue value)
    {
        RequireForward(nameof(Set));
        if (key is null) throw new NablaArgumentException(nameof(key), $"{FunctionName}: Set was given a null key");
        values ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!values.TryAdd(key, value))
            throw new NablaException($"{FunctionName}: the context value '{key}' was already set in this Forward");
    }

    /// <summary>The value Forward set under <paramref name="key"/>, which must have been stored as a <typeparamref name="TValue"/>.</summary>
    public TValue Get<TValue>(string key)
    {
        if (key is null) throw new NablaArgumentException(nameof(key), $"{FunctionName}: Get was given a null key");
        if (values is null || !values.TryGetValue(key, out var value))
            throw new NablaArgumentException(nameof(key), $"{FunctionName}: no context value named '{key}' was set in Forward"
                + (values is null ? " (none was set)" : $" (set: {string.Join(", ", values.Keys)})"));
        if (value is TValue typed) return typed;
        if (value is null && default(TValue) is null) return default!;
        throw new NablaException($"{FunctionName}: the context value '{key}' holds {value?.GetType().Name ?? "null"}, not {typeof(TValue).Name}");
    }

    private void RequireForward(string member)
    {
        if (!InForward)
            throw new NablaException($"{FunctionName}: {member} can only be called in Forward; Backward and Jvp read the context Forward wrote");
    }

    private static string Plural(int n) => n == 1 ? "" : "s";
}
