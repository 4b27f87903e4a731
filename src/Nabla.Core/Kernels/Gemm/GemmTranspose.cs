using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// Square transposes in registers for packing a transposed operand (a forward layer's Wᵀ): an 8×8 block of floats or
/// a 4×4 block of doubles is read as rows of one vector each, shuffled, and written as columns, where an element-by-
/// element copy would load and store every value on its own with a strided write.
/// </summary>
internal static unsafe class GemmTranspose
{
    /// <summary>The block side: elements in a Vector256 (8 floats, 4 doubles).</summary>
    public static int Side<T>() where T : unmanaged => Vector256<T>.Count;

    /// <summary>True where <see cref="Block{T}"/> runs: float or double with AVX.</summary>
    public static bool IsSupported<T>() where T : unmanaged => Avx.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    /// <summary>dst[r·ldd + c] = src[c·lds + r] for r, c &lt; <see cref="Side{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block<T>(T* src, nint lds, T* dst, nint ldd) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) Block8((float*)src, lds, (float*)dst, ldd);
        else Block4((double*)src, lds, (double*)dst, ldd);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Block8(float* s, nint lds, float* d, nint ldd)
    {
        var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + lds);
        var r2 = Avx.LoadVector256(s + 2 * lds); var r3 = Avx.LoadVector256(s + 3 * lds);
        var r4 = Avx.LoadVector256(s + 4 * lds); var r5 = Avx.LoadVector256(s + 5 * lds);
        var r6 = Avx.LoadVector256(s + 6 * lds); var r7 = Avx.LoadVector256(s + 7 * lds);
        // Interleave pairs of rows, then pairs of pairs (within 128-bit lanes), then swap lanes.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Block4(double* s, nint lds, double* d, nint ldd)
    {
        var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + lds);
        var r2 = Avx.LoadVector256(s + 2 * lds); var r3 = Avx.LoadVector256(s + 3 * lds);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + 2 * ldd, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + 3 * ldd, Avx.Permute2x128(t1, t3, 0x31));
    }
}
