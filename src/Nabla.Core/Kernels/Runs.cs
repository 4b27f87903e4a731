using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// Copying and adding short runs (a convolution's output row: 8 to 32 elements) with inline 256-bit moves, the last one
/// overlapping the one before when the length is not a multiple of the vector: the general span routines cost a call
/// and a length dispatch that outweigh the move itself at these lengths.
/// </summary>
internal static class Runs
{
    /// <summary>dst[..n] = src[..n] with n = dst.Length; the spans do not overlap.</summary>
    public static void Copy<T>(ReadOnlySpan<T> src, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = dst.Length, v = Vector256<T>.Count;
        if (!Vector256.IsHardwareAccelerated || n < v)
        {
            src[..n].CopyTo(dst);
            return;
        }
        ref T s = ref MemoryMarshal.GetReference(src[..n]);
        ref T d = ref MemoryMarshal.GetReference(dst);
        for (int i = 0; i < n - v; i += v) Vector256.LoadUnsafe(ref s, (nuint)i).StoreUnsafe(ref d, (nuint)i);
        Vector256.LoadUnsafe(ref s, (nuint)(n - v)).StoreUnsafe(ref d, (nuint)(n - v));
    }

    /// <summary>dst[..n] += src[..n] with n = src.Length; the spans do not overlap.</summary>
    public static void Add<T>(ReadOnlySpan<T> src, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = src.Length, v = Vector256<T>.Count, i = 0;
        ref T s = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst[..n]);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - v; i += v)
                (Vector256.LoadUnsafe(ref d, (nuint)i) + Vector256.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref d, i) += Unsafe.Add(ref s, i);
    }
}
