using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// The AVX-512 micro-kernel for float and double: the 6-row <see cref="Tile6x2{T, TV, TL}"/> on Vector512 registers,
/// 6×32 for float and 6×16 for double. On cores with full-width 512-bit FMA units (AMD Zen 5, Intel server
/// cores) one instruction does twice the work of the AVX2 kernel's, and the packed product runs close to twice as fast;
/// <see cref="Gemm"/> picks it when the runtime reports Vector512 accelerated. Same loop and summation order per element
/// as the AVX2 kernel (a chain of fused multiply-adds over p), so both give bit-identical C with the same blocking.
/// </summary>
internal readonly unsafe struct Vector6x2Wide<T> : IGemmMicroKernel<T> where T : unmanaged
{
    /// <summary>True when this kernel may run: AVX-512F present and Vector512 enabled by the runtime (DOTNET_EnableAVX512=0 turns it off).</summary>
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    public static int MR => 6;
    public static int NR => 2 * Vector512<T>.Count;

    /// <inheritdoc cref="IGemmMicroKernel{T}.Run"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(nint kc, T* a, T* b, T* c, nint ldc, bool accumulate) =>
        Tile6x2<T, Vector512<T>, Lanes512<T>>.Run(kc, a, b, c, ldc, accumulate);
}
