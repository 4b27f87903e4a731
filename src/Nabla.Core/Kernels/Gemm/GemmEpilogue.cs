using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// What the packed matrix product does to a finished block of C rows while it is still in cache (the epilogue of a
/// fused layer: an activation applied in place). Implemented by value types so the call is resolved at compile time.
/// </summary>
internal interface IGemmEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Transforms the finished elements of one row segment of C in place.</summary>
    static abstract void Apply(Span<T> row);

    /// <summary>True for an epilogue that does nothing, so the product need not visit its blocks again.</summary>
    static virtual bool IsNone => false;
}

/// <summary>No epilogue: C is left as the product computed it.</summary>
internal readonly struct NoEpilogue<T> : IGemmEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsNone => true;
    public static void Apply(Span<T> row) { }
}
