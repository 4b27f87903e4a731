using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// General matrix product on row-major storage: C[m×n] = op(A)[m×k] · op(B)[k×n] (or += with
/// <c>accumulate</c>), where op(X) is X or Xᵀ. <c>lda</c>, <c>ldb</c>, <c>ldc</c> are the row strides
/// of A, B and C as stored. This is the one entry point the tensor engine calls.
/// </summary>
/// <remarks>
/// Routing: problems with m·n·k below <see cref="SmallProblemThreshold"/>, or with m = 1 or n = 1,
/// take the unpacked loops of <see cref="GemmDirect"/>; float and double on AVX2 + FMA hardware take the
/// packed, cache-blocked 6×16 (float) / 6×8 (double) register-tiled kernel of <see cref="GemmPacked"/>
/// (6×32 / 6×16 on Vector512 where the runtime enables AVX-512, <see cref="Vector6x2Wide{T}"/>),
/// split across up to <see cref="MaxThreads"/> workers when the problem is large; anything else (other
/// element types, hardware without FMA) takes <see cref="GemmDirect"/>. Each element of C is a sum of
/// k products; the order of that sum, and whether a product is fused into it, differ between paths,
/// so results agree with <see cref="Reference.GemmReference"/> to about k·eps·Σ|a||b|, not bit for bit.
/// With <c>accumulate</c> false, C is overwritten (its previous contents, even NaN, are never read);
/// with k = 0 that writes zeros.
/// </remarks>
public static class Gemm
{
    /// <summary>Below this m·n·k the unpacked loops are cheaper than packing.</summary>
    internal const long SmallProblemThreshold = 24L * 24 * 24;

    /// <summary>From this m·n·k on the packed kernel splits the work across workers.</summary>
    internal const long ParallelThreshold = 64L * 64 * 64;

    /// <summary>
    /// The most workers one product may use (default <see cref="Environment.ProcessorCount"/>). Set it to 1
    /// to force single-threaded products, e.g. for single-core benchmarks. Must be at least 1.
    /// </summary>
    public static int MaxThreads
    {
        get;
        set => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxThreads must be at least 1.");
    } = Environment.ProcessorCount;

    /// <summary>True when the packed, vectorised kernels run on this machine (AVX2 and FMA).</summary>
    public static bool IsAccelerated => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>C = op(A)·op(B), or C += op(A)·op(B) when <c>accumulate</c> is true (see the class remarks).</summary>
    /// <exception cref="ArgumentException">A size is negative, a stride is smaller than its row, or a span is too short.</exception>
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        MultiplyOnThreads(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, MaxThreads);

    /// <summary>
    /// <see cref="Multiply{T}"/> on at most <paramref name="maxThreads"/> workers: a caller that already runs one product per worker (the
    /// convolution, one sample each) passes 1.
    /// </summary>
    internal static void MultiplyOnThreads<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmArguments.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        long work = (long)m * n * k;
        if (work < SmallProblemThreshold || m == 1 || n == 1 || !IsAccelerated)
        {
            GemmDirect.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, vectorize: true);
            return;
        }
        int threads = work >= ParallelThreshold ? Math.Min(maxThreads, Environment.ProcessorCount) : 1;
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
            Packed<T, NoEpilogue<T>>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, [], threads);
        else
            GemmDirect.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, vectorize: true);
    }

    /// <summary>
    /// The packed product for float or double with the widest micro-kernel this machine runs: the AVX-512 one
    /// (<see cref="Vector6x2Wide{T}"/>, twice the lanes, deeper k-slices) where the runtime enables Vector512, else the AVX2
    /// one. Both sum each k-slice of an element in the same order; where k needs more than one slice their slices differ,
    /// so the two agree to rounding (bit for bit for k ≤ 256).
    /// </summary>
    private static void Packed<T, TE>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, ReadOnlySpan<T> bias, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TE : IGemmEpilogue<T>
    {
        if (typeof(T) == typeof(float)) PackedAs<T, TE, float>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, threads,
            GemmBlocking.WideFloat, GemmBlocking.Float);
        else PackedAs<T, TE, double>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, threads,
            GemmBlocking.WideDouble, GemmBlocking.Double);
    }

    // The packed product on T's storage read as U (the same type, float or double), with the AVX-512 kernel and its
    // blocking where the runtime has 512-bit vectors, else the AVX2 kernel and its own.
    private static void PackedAs<T, TE, U>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, ReadOnlySpan<T> bias, int threads,
        GemmBlocking wide, GemmBlocking narrow)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TE : IGemmEpilogue<T>
        where U : unmanaged, IFloatingPointIeee754<U>
    {
        ReadOnlySpan<U> au = MemoryMarshal.Cast<T, U>(a), bu = MemoryMarshal.Cast<T, U>(b), biasu = MemoryMarshal.Cast<T, U>(bias);
        Span<U> cu = MemoryMarshal.Cast<T, U>(c);
        if (Vector6x2Wide<U>.IsSupported)
            GemmPacked.Multiply<U, Vector6x2Wide<U>, EpilogueAs<T, TE, U>>(transA, transB, m, n, k, au, lda, bu, ldb, cu, ldc, accumulate, biasu, wide, threads);
        else
            GemmPacked.Multiply<U, Vector6x2<U>, EpilogueAs<T, TE, U>>(transA, transB, m, n, k, au, lda, bu, ldb, cu, ldc, accumulate, biasu, narrow, threads);
    }

    /// <summary>
    /// A fused layer's product: C = epilogue(bias + op(A)·op(B)), with <paramref name="bias"/> one value per column of C
    /// (empty for none) and <typeparamref name="TE"/> applied to each row. On the packed path both happen block by block
    /// while the block is in cache; elsewhere (small problems, k = 0, no FMA) as passes over C. Either way each element
    /// is (bias + Σ over k-slices) in the packed path's order, the values of a bias-filled C with <c>accumulate</c>.
    /// </summary>
    internal static void MultiplyBiasEpilogue<T, TE>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TE : IGemmEpilogue<T>
    {
        GemmArguments.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (!bias.IsEmpty && bias.Length != n) throw new ArgumentException($"bias has {bias.Length} values for {n} columns", nameof(bias));
        if (m == 0 || n == 0) return;
        long work = (long)m * n * k;
        bool packed = k > 0 && work >= SmallProblemThreshold && m > 1 && n > 1 && IsAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double));
        if (!packed)
        {
            for (int i = 0; i < m; i++)
                if (bias.IsEmpty) c.Slice(i * ldc, n).Clear(); else bias.CopyTo(c.Slice(i * ldc, n));
            Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate: true);
            if (typeof(TE) == typeof(NoEpilogue<T>)) return;
            if (ldc == n) TE.Apply(c[..(m * n)]);
            else for (int i = 0; i < m; i++) TE.Apply(c.Slice(i * ldc, n));
            return;
        }
        int threads = work >= ParallelThreshold ? Math.Min(MaxThreads, Environment.ProcessorCount) : 1;
        Packed<T, TE>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, false, bias, threads);
    }

    /// <summary>
    /// An epilogue written for T run on the same memory viewed as TAs (T and TAs are the same type at run time); with
    /// <see cref="NoEpilogue{T}"/> it reports itself as none, so the packed product skips the epilogue loop altogether.
    /// </summary>
    private readonly struct EpilogueAs<T, TE, TAs> : IGemmEpilogue<TAs>
        where T : unmanaged, IFloatingPointIeee754<T> where TE : IGemmEpilogue<T> where TAs : unmanaged, IFloatingPointIeee754<TAs>
    {
        public static bool IsNone => typeof(TE) == typeof(NoEpilogue<T>);
        public static void Apply(Span<TAs> row) => TE.Apply(MemoryMarshal.Cast<TAs, T>(row));
    }
}
