using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// The register tile both micro-kernels share: C(6 × 2W) (+)= Σₚ a(6)·b(2W)ᵀ over packed panels, where W is the number of
/// elements in one vector of <typeparamref name="TL"/>. The tile of C lives in 12 vector accumulators; per step of p,
/// 2 loads of packed B, 6 broadcasts of packed A and 12 fused multiply-adds; every register spelled out, the p loop
/// unrolled by two. Each element is one chain of fused multiply-adds over p, whatever the width, so the AVX2 and the
/// AVX-512 kernels give the same bits. The JIT compiles one copy per (T, width), as if each were written by hand.
/// </summary>
internal static unsafe class Tile6x2<T, TV, TL> where T : unmanaged where TV : struct where TL : IVectorLanes<T, TV>
{
    // The vector width: a JIT-time constant for each instantiation.
    private static int W { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => TL.Count; }

    /// <summary>The tile: see <see cref="IGemmMicroKernel{T}.Run"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        TV c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        TV b0, b1, ai;
        nint p = 0;
        for (; p + 1 < kc; p += 2)
        {
            b0 = TL.Load(b);
            b1 = TL.Load(b + W);
            ai = TL.Broadcast(a[0]);
            c00 = TL.MulAdd(ai, b0, c00); c01 = TL.MulAdd(ai, b1, c01);
            ai = TL.Broadcast(a[1]);
            c10 = TL.MulAdd(ai, b0, c10); c11 = TL.MulAdd(ai, b1, c11);
            ai = TL.Broadcast(a[2]);
            c20 = TL.MulAdd(ai, b0, c20); c21 = TL.MulAdd(ai, b1, c21);
            ai = TL.Broadcast(a[3]);
            c30 = TL.MulAdd(ai, b0, c30); c31 = TL.MulAdd(ai, b1, c31);
            ai = TL.Broadcast(a[4]);
            c40 = TL.MulAdd(ai, b0, c40); c41 = TL.MulAdd(ai, b1, c41);
            ai = TL.Broadcast(a[5]);
            c50 = TL.MulAdd(ai, b0, c50); c51 = TL.MulAdd(ai, b1, c51);
            b0 = TL.Load(b + 2 * W);
            b1 = TL.Load(b + 3 * W);
            ai = TL.Broadcast(a[6]);
            c00 = TL.MulAdd(ai, b0, c00); c01 = TL.MulAdd(ai, b1, c01);
            ai = TL.Broadcast(a[7]);
            c10 = TL.MulAdd(ai, b0, c10); c11 = TL.MulAdd(ai, b1, c11);
            ai = TL.Broadcast(a[8]);
            c20 = TL.MulAdd(ai, b0, c20); c21 = TL.MulAdd(ai, b1, c21);
            ai = TL.Broadcast(a[9]);
            c30 = TL.MulAdd(ai, b0, c30); c31 = TL.MulAdd(ai, b1, c31);
            ai = TL.Broadcast(a[10]);
            c40 = TL.MulAdd(ai, b0, c40); c41 = TL.MulAdd(ai, b1, c41);
            ai = TL.Broadcast(a[11]);
            c50 = TL.MulAdd(ai, b0, c50); c51 = TL.MulAdd(ai, b1, c51);
            a += 12;
            b += 4 * W;
        }
        if (p < kc)
        {
            b0 = TL.Load(b);
            b1 = TL.Load(b + W);
            ai = TL.Broadcast(a[0]);
            c00 = TL.MulAdd(ai, b0, c00); c01 = TL.MulAdd(ai, b1, c01);
            ai = TL.Broadcast(a[1]);
            c10 = TL.MulAdd(ai, b0, c10); c11 = TL.MulAdd(ai, b1, c11);
            ai = TL.Broadcast(a[2]);
            c20 = TL.MulAdd(ai, b0, c20); c21 = TL.MulAdd(ai, b1, c21);
            ai = TL.Broadcast(a[3]);
            c30 = TL.MulAdd(ai, b0, c30); c31 = TL.MulAdd(ai, b1, c31);
            ai = TL.Broadcast(a[4]);
            c40 = TL.MulAdd(ai, b0, c40); c41 = TL.MulAdd(ai, b1, c41);
            ai = TL.Broadcast(a[5]);
            c50 = TL.MulAdd(ai, b0, c50); c51 = TL.MulAdd(ai, b1, c51);
        }
        Put(c + 0, c00, accumulate); Put(c + W, c01, accumulate); c += ldc;
        Put(c + 0, c10, accumulate); Put(c + W, c11, accumulate); c += ldc;
        Put(c + 0, c20, accumulate); Put(c + W, c21, accumulate); c += ldc;
        Put(c + 0, c30, accumulate); Put(c + W, c31, accumulate); c += ldc;
        Put(c + 0, c40, accumulate); Put(c + W, c41, accumulate); c += ldc;
        Put(c + 0, c50, accumulate); Put(c + W, c51, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put(T* c, TV v, bool accumulate)
    {
        if (accumulate) v = TL.Add(v, TL.Load(c));
        TL.Store(v, c);
    }
}

/// <summary>The vector operations the tile needs, on one register width (implemented by value types, resolved at compile time).</summary>
internal unsafe interface IVectorLanes<T, TV> where T : unmanaged where TV : struct
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }
    /// <summary>An unaligned load.</summary>
    static abstract TV Load(T* p);
    /// <summary>An unaligned store.</summary>
    static abstract void Store(TV v, T* p);
    /// <summary>Every lane set to x.</summary>
    static abstract TV Broadcast(T x);
    /// <summary>a + b.</summary>
    static abstract TV Add(TV a, TV b);
    /// <summary>a·b + c in one rounding.</summary>
    static abstract TV MulAdd(TV a, TV b, TV c);
}

/// <summary>AVX2 + FMA: Vector256 (8 floats, 4 doubles).</summary>
internal readonly unsafe struct Lanes256<T> : IVectorLanes<T, Vector256<T>> where T : unmanaged
{
    public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector256<T>.Count; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(T* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> v, T* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Broadcast(T x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    // The type tests are constants for each T, so the JIT keeps one FMA instruction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MulAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float)) return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}

/// <summary>AVX-512F: Vector512 (16 floats, 8 doubles).</summary>
internal readonly unsafe struct Lanes512<T> : IVectorLanes<T, Vector512<T>> where T : unmanaged
{
    public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector512<T>.Count; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(T* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> v, T* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Broadcast(T x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MulAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float)) return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}
