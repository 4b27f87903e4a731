namespace Nabla.Tensors;

/// <summary>
/// The memory behind a tensor: one array shared by the tensor, every view of it and <see cref="Tensor{T}.Detach"/>,
/// with a version counter that every write through the public API bumps (the indexer, Fill, CopyFrom, each *InPlace
/// method, every <c>into</c> output, AsSpan, optimizer steps). A derivative rule records the version of each tensor it saved;
/// Backward compares, so a value overwritten between forward and backward is refused rather than silently used.
/// Writing the raw array a tensor was built on (<see cref="Tensor{T}(T[], int[])"/>) is the one path the counter cannot see.
/// The remaining fields belong to <see cref="BufferPool{T}"/> and <see cref="TensorScope"/> and their ownership rules.
/// </summary>
internal sealed class TensorStorage<T>(T[] data) : IScopedStorage where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    /// <summary>
    /// The elements; views read them through their own offset and strides. Read it through <see cref="Tensor{T}.Storage"/>,
    /// which refuses a storage its scope released; only the pool and the scope touch it directly.
    /// </summary>
    public readonly T[] Data = data;

    /// <summary>How many public writes this storage has seen.</summary>
    public int Version;

    /// <summary>True when <see cref="Data"/> was rented from <see cref="BufferPool{T}"/> for a gradient that may go back once dead.</summary>
    public bool Pooled;

    /// <summary>True for an activation only graph nodes can reach (rule 4 of the pool); <see cref="GraphRefs"/> counts them.</summary>
    public bool Private;

    /// <summary>True once <see cref="Data"/> went back to the pool (so it is never returned twice).</summary>
    public bool Returned;

    /// <summary>
    /// True once the <see cref="TensorScope"/> that owned this storage ended: every tensor over it refuses access from then
    /// on (checked in <see cref="Tensor{T}.Storage"/>), because <see cref="Data"/> may already hold another tensor's values.
    /// </summary>
    public bool Released;

    /// <summary>How many live graph nodes still reach a <see cref="Private"/> storage.</summary>
    public int GraphRefs;

    /// <summary>The tensor whose gradient this storage became (the only one that may release it), or null.</summary>
    public object? Owner;

    /// <summary>The open scope that releases this storage when it ends, or null (see <see cref="TensorScope"/>).</summary>
    public TensorScope? Scope { get; set; }

    /// <summary>The scope ended: from now on the storage refuses access, and its array goes back to the pool once.</summary>
    public void Release()
    {
        Scope = null;
        if (Owner is not null) return;   // adopted as a gradient after all (x.Grad = result): the tensor owns it now
        Released = true;
        BufferPool<T>.ReturnReleased(this);
    }
}
