using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// The micro-kernel for float and double: C(6 × 2W) (+)= Σₚ a(6)·b(2W)ᵀ over packed panels, where W is the number
/// of elements in a Vector256 (8 floats, 4 doubles), so the tile is 6×16 for float and 6×8 for double.
/// The tile of C lives in 12 Vector256 accumulators; per step of p, 2 loads of packed B, 6 broadcasts of packed A
/// and 12 fused multiply-adds (AVX2 + FMA); every register spelled out, the p loop unrolled by two.
/// The JIT compiles one copy per element type, as if each were written by hand.
/// </summary>
internal readonly unsafe struct Vector6x2<T> : IGemmMicroKernel<T> where T : unmanaged
{
    // The vector width: a JIT-time constant for each T.
    private static int W { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector256<T>.Count; }

    public static int MR => 6;
    public static int NR => 2 * Vector256<T>.Count;

    /// <inheritdoc cref="IGemmMicroKernel{T}.Run"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector256<T> b0, b1, ai;
        nint p = 0;
        for (; p + 1 < kc; p += 2)
        {
            b0 = Vector256.Load(b);
            b1 = Vector256.Load(b + W);
            ai = Vector256.Create(a[0]);
            c00 = MulAdd(ai, b0, c00); c01 = MulAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = MulAdd(ai, b0, c10); c11 = MulAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = MulAdd(ai, b0, c20); c21 = MulAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = MulAdd(ai, b0, c30); c31 = MulAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = MulAdd(ai, b0, c40); c41 = MulAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = MulAdd(ai, b0, c50); c51 = MulAdd(ai, b1, c51);
            b0 = Vector256.Load(b + 2 * W);
            b1 = Vector256.Load(b + 3 * W);
            ai = Vector256.Create(a[6]);
            c00 = MulAdd(ai, b0, c00); c01 = MulAdd(ai, b1, c01);
            ai = Vector256.Create(a[7]);
            c10 = MulAdd(ai, b0, c10); c11 = MulAdd(ai, b1, c11);
            ai = Vector256.Create(a[8]);
            c20 = MulAdd(ai, b0, c20); c21 = MulAdd(ai, b1, c21);
            ai = Vector256.Create(a[9]);
            c30 = MulAdd(ai, b0, c30); c31 = MulAdd(ai, b1, c31);
            ai = Vector256.Create(a[10]);
            c40 = MulAdd(ai, b0, c40); c41 = MulAdd(ai, b1, c41);
            ai = Vector256.Create(a[11]);
            c50 = MulAdd(ai, b0, c50); c51 = MulAdd(ai, b1, c51);
            a += 12;
            b += 4 * W;
        }
        if (p < kc)
        {
            b0 = Vector256.Load(b);
            b1 = Vector256.Load(b + W);
            ai = Vector256.Create(a[0]);
            c00 = MulAdd(ai, b0, c00); c01 = MulAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = MulAdd(ai, b0, c10); c11 = MulAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = MulAdd(ai, b0, c20); c21 = MulAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = MulAdd(ai, b0, c30); c31 = MulAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = MulAdd(ai, b0, c40); c41 = MulAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = MulAdd(ai, b0, c50); c51 = MulAdd(ai, b1, c51);
        }
        Put(c + 0, c00, accumulate); Put(c + W, c01, accumulate); c += ldc;
        Put(c + 0, c10, accumulate); Put(c + W, c11, accumulate); c += ldc;
        Put(c + 0, c20, accumulate); Put(c + W, c21, accumulate); c += ldc;
        Put(c + 0, c30, accumulate); Put(c + W, c31, accumulate); c += ldc;
        Put(c + 0, c40, accumulate); Put(c + W, c41, accumulate); c += ldc;
        Put(c + 0, c50, accumulate); Put(c + W, c51, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put(T* c, Vector256<T> v, bool accumulate)
    {
        if (accumulate) v += Vector256.Load(c);
        v.Store(c);
    }

    // a·b + c in one rounding. The type tests are constants for each T, so the JIT keeps one FMA instruction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<T> MulAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float)) return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}
