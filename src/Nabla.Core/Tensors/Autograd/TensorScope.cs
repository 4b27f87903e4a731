namespace Nabla.Tensors;

/// <summary>A storage a <see cref="TensorScope"/> can release (one per element type, so the scope itself is not generic).</summary>
internal interface IScopedStorage
{
    TensorScope? Scope { get; set; }
    void Release();
}

/// <summary>
/// Takes back the memory of the tensors that operations compute inside it, so a loop that makes many large temporaries
/// reuses their arrays instead of leaving them to the garbage collector (PyTorch's caching allocator, TorchSharp's
/// <c>DisposeScope</c>): <c>using (var scope = TensorScope.Begin()) { … }</c>.
/// <para>
/// The rule: when the scope ends, every result of an element-wise operation (arithmetic, Exp, Sigmoid, Relu and the
/// other functions of the op table) or of MatMul computed on this thread inside it is released, together with its views,
/// unless it was kept with
/// <see cref="Keep{T}(Tensor{T})"/> (it then belongs to the enclosing scope, or to no scope) or made a parameter by setting
/// <see cref="Tensor{T}.RequiresGrad"/>. A scope never releases tensors you create (Zeros, Ones, Full, FromArray, Randn,
/// <c>new Tensor(array, shape)</c>), gradients (whatever Backward makes) or anything made before it began; the results of
/// other operations (reductions, layers, convolutions) are left to the garbage collector, as outside a scope.
/// </para>
/// <para>
/// Every later use of a released tensor or of a view of it (reading, writing, using it as an op's input or <c>into</c>
/// target, a Backward that needs a value it saved) throws a <see cref="NablaException"/> saying so. A span taken with
/// AsSpan/AsReadOnlySpan inside the scope must not be used after it ends (like an array from ArrayPool). Scopes nest and
/// belong to the thread that began them; disposing a scope also ends the scopes begun inside it and still open.
/// </para>
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? current;

    private readonly TensorScope? outer;
    private readonly int threadId = Environment.CurrentManagedThreadId;
    private readonly List<IScopedStorage> members = [];
    private bool ended;

    private TensorScope(TensorScope? outer) => this.outer = outer;

    // How many scopes are open on all threads: while none is, ops skip the thread-static read (a call on Linux).
    private static int openAnywhere;

    /// <summary>Opens a scope on this thread, nested in the one already open (if any); dispose it to release what it owns.</summary>
    public static TensorScope Begin()
    {
        Interlocked.Increment(ref openAnywhere);
        return current = new TensorScope(current);
    }

    /// <summary>The innermost open scope of this thread, or null.</summary>
    public static TensorScope? Current => Volatile.Read(ref openAnywhere) == 0 ? null : current;

    /// <summary>
    /// Keeps <paramref name="tensor"/> (and every view sharing its storage) alive past this scope: it moves to the enclosing
    /// scope, or out of all scopes when this is the outermost. Tensors no scope owns are left as they are. Returns the tensor.
    /// </summary>
    public Tensor<T> Keep<T>(Tensor<T> tensor) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (ended) throw new NablaException("Keep was called on a TensorScope that already ended; keep tensors before the scope is disposed");
        if (tensor.IsReleased) Tensor<T>.ThrowReleased(tensor.ShapeArray);
        if (!tensor.HasStore) return tensor;   // never adopted by a scope
        var store = tensor.Store;
        if (store.Scope is not null && Encloses(store.Scope)) Move(store, outer);
        return tensor;
    }

    /// <summary>Ends this scope (and any scope begun inside it still open): releases what it owns. Later calls do nothing.</summary>
    public void Dispose()
    {
        if (ended) return;
        if (Environment.CurrentManagedThreadId != threadId)
            throw new NablaException("a TensorScope must be disposed on the thread that began it");
        while (current is not null && current != this && Encloses(current)) current.Dispose();
        ended = true;
        current = outer;
        Interlocked.Decrement(ref openAnywhere);
        foreach (var m in members)
            if (ReferenceEquals(m.Scope, this)) m.Release();   // a kept storage moved on: its Scope is no longer this
        members.Clear();
    }

    /// <summary>Registers a storage an op just computed with the innermost open scope of this thread, if any.</summary>
    internal static void Adopt(IScopedStorage store)
    {
        var scope = current;
        if (scope is null) return;
        store.Scope = scope;
        scope.members.Add(store);
    }

    /// <summary>Takes <paramref name="store"/> out of every scope (a parameter, or a tensor kept past the outermost scope).</summary>
    internal static void Unscope(IScopedStorage store) => store.Scope = null;

    /// <summary>
    /// Runs with no scope open on this thread, restoring it afterwards: Backward makes gradients, which no scope owns.
    /// Returns the scope to restore.
    /// </summary>
    internal static TensorScope? Suspend()
    {
        var s = current;
        current = null;
        return s;
    }

    /// <summary>Reopens the scope <see cref="Suspend"/> returned.</summary>
    internal static void Resume(TensorScope? scope) => current = scope;

    private bool Encloses(TensorScope inner)
    {
        for (var s = inner; s is not null; s = s.outer) if (s == this) return true;
        return false;
    }

    private static void Move(IScopedStorage store, TensorScope? to)
    {
        store.Scope = to;
        to?.members.Add(store);
    }
}
