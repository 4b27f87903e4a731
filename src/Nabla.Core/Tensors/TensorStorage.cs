namespace Nabla.Tensors;

/// <summary>
/// The memory behind a tensor: one array shared by the tensor, every view of it and <see cref="Tensor{T}.Detach"/>,
/// with a version counter that every write through the public API bumps (the indexer, Fill, CopyFrom, each *InPlace
/// method, MatMul's <c>into</c>, AsSpan, optimizer steps). A derivative rule records the version of each tensor it saved;
/// Backward compares, so a value overwritten between forward and backward is refused rather than silently used.
/// Writing the raw array a tensor was built on (<see cref="Tensor{T}(T[], int[])"/>) is the one path the counter cannot see.
/// The remaining fields belong to <see cref="BufferPool{T}"/> and its ownership rules.
/// </summary>
internal sealed class TensorStorage<T>(T[] data)
{
    /// <summary>The elements; views read them through their own offset and strides.</summary>
    public readonly T[] Data = data;

    /// <summary>How many public writes this storage has seen.</summary>
    public int Version;

    /// <summary>True when <see cref="Data"/> was rented from <see cref="BufferPool{T}"/> for a gradient that may go back once dead.</summary>
    public bool Pooled;

    /// <summary>The tensor whose gradient this storage became (the only one that may release it), or null.</summary>
    public object? Owner;

    /// <summary>True for an activation only graph nodes can reach (rule 4 of the pool); <see cref="GraphRefs"/> counts them.</summary>
    public bool Private;

    /// <summary>How many live graph nodes still reach a <see cref="Private"/> storage.</summary>
    public int GraphRefs;

    /// <summary>True once <see cref="Data"/> went back to the pool (so it is never returned twice).</summary>
    public bool Returned;
}
