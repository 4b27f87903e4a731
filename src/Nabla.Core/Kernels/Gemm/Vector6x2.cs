using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// The AVX2 + FMA micro-kernel for float and double: the 6-row <see cref="Tile6x2{T, TV, TL}"/> on Vector256 registers,
/// 6×16 for float and 6×8 for double.
/// </summary>
internal readonly unsafe struct Vector6x2<T> : IGemmMicroKernel<T> where T : unmanaged
{
    public static int MR => 6;
    public static int NR => 2 * Vector256<T>.Count;

    /// <inheritdoc cref="IGemmMicroKernel{T}.Run"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(nint kc, T* a, T* b, T* c, nint ldc, bool accumulate) =>
        Tile6x2<T, Vector256<T>, Lanes256<T>>.Run(kc, a, b, c, ldc, accumulate);
}
