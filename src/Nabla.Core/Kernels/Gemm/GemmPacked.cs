using System.Buffers;
using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// The packed, cache-blocked matrix product (Goto/BLIS loop order): for each NC-column block of op(B) and
/// KC-deep slice of k, pack the KC×NC block of op(B); for each MC-row block of op(A), pack it and sweep the
/// micro-kernel over every (MR-row panel, NR-column panel) pair, B panel outermost so it stays in L1.
/// Packing buffers come from <see cref="ArrayPool{T}.Shared"/> and are returned, so a steady state of
/// calls allocates no large arrays. Arguments are as for <see cref="Gemm.Multiply{T}"/> and are assumed
/// already checked.
/// </summary>
internal static unsafe class GemmPacked
{
    /// <summary>
    /// C = op(A)·op(B) (or += with <c>accumulate</c>) with kernel <typeparamref name="TK"/>, blocking
    /// <paramref name="blocking"/> and up to <paramref name="threads"/> workers. With more than one worker
    /// the larger of m and n is cut into near-equal ranges (multiples of MR rows or NR columns) and each
    /// worker computes its own C block independently, packing its own buffers: one operand is packed by
    /// every worker, which costs about threads/min(m, n) of the arithmetic, in exchange for no
    /// synchronisation but the final join (<see cref="GemmWorkers"/>).
    /// </summary>
    public static void Multiply<T, TK>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate,
        GemmBlocking blocking, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TK : IGemmMicroKernel<T> =>
        Multiply<T, TK, NoEpilogue<T>>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, [], blocking, threads);

    /// <summary>
    /// As above, with a fused layer's bias and activation done block by block while each block of C is in cache:
    /// before a block's first k-slice its rows are filled with <paramref name="bias"/> (one value per column; empty
    /// for none) and the slice is added to them, so C = (bias + slice₁) + slice₂ + … exactly as a bias-filled C with
    /// <c>accumulate</c>; after its last k-slice <typeparamref name="TE"/> transforms its rows. k must be positive.
    /// </summary>
    public static void Multiply<T, TK, TE>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, ReadOnlySpan<T> bias,
        GemmBlocking blocking, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TK : IGemmMicroKernel<T>
        where TE : IGemmEpilogue<T>
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }
        fixed (T* pa = a, pb = b, pc = c, pbias = bias)
        {
            bool splitRows = m >= n;
            int unit = splitRows ? TK.MR : TK.NR, extent = splitRows ? m : n;
            int chunk = RoundUp((extent + threads - 1) / Math.Max(threads, 1), unit);
            int parts = (extent + chunk - 1) / chunk;
            T* biasOrNull = bias.IsEmpty ? null : pbias;
            if (parts <= 1)
            {
                Serial<T, TK, TE>(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, biasOrNull, blocking);
                return;
            }
            Split<T, TK, TE>(transA, transB, m, n, k, (nint)pa, lda, (nint)pb, ldb, (nint)pc, ldc, accumulate, (nint)biasOrNull,
                blocking, threads, parts, chunk, splitRows);
        }
    }

    // Apart from Multiply so the closure (which captures the arguments) is allocated only when the work is split.
    static void Split<T, TK, TE>(bool transA, bool transB, int m, int n, int k, nint ia, int lda, nint ib, int ldb, nint ic, int ldc,
        bool accumulate, nint ibias, GemmBlocking blocking, int threads, int parts, int chunk, bool splitRows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TK : IGemmMicroKernel<T>
        where TE : IGemmEpilogue<T>
    {
        int extent = splitRows ? m : n;
        GemmWorkers.Run(parts, threads, t =>
        {
            int lo = t * chunk, len = Math.Min(chunk, extent - lo);
            T* sa = (T*)ia, sb = (T*)ib, sc = (T*)ic, sbias = (T*)ibias;
            if (splitRows)
                Serial<T, TK, TE>(transA, transB, len, n, k, transA ? sa + lo : sa + (nint)lo * lda, lda,
                    sb, ldb, sc + (nint)lo * ldc, ldc, accumulate, sbias, blocking);
            else
                Serial<T, TK, TE>(transA, transB, m, len, k, sa, lda, transB ? sb + (nint)lo * ldb : sb + lo, ldb,
                    sc + lo, ldc, accumulate, sbias is null ? null : sbias + lo, blocking);
        });
    }

    static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;

    /// <summary>Aligns a pointer into a rented array up to the next 64-byte boundary.</summary>
    static T* Align64<T>(T* p) where T : unmanaged => (T*)(((nint)p + 63) & ~(nint)63);

    /// <summary>The single-worker blocked product on raw pointers (k &gt; 0, m, n &gt; 0), with the epilogue (see Multiply).</summary>
    static void Serial<T, TK, TE>(bool transA, bool transB, int m, int n, int k,
        T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate, T* bias, GemmBlocking blocking)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TK : IGemmMicroKernel<T>
        where TE : IGemmEpilogue<T>
    {
        bool epilogue = !TE.IsNone;
        int mr = TK.MR, nr = TK.NR;
        // Near-equal slices, so that e.g. k = 784 runs as 4 × 196 rather than 3 × 256 + 16.
        int kcStep = DivUp(k, DivUp(k, blocking.KC));
        int mcStep = RoundUp(DivUp(m, DivUp(m, blocking.MC)), mr);
        int ncMax = Math.Min(blocking.NC, RoundUp(n, nr));
        int pad = 64 / sizeof(T);
        T[] aArray = ArrayPool<T>.Shared.Rent(mcStep * kcStep + pad);
        T[] bArray = ArrayPool<T>.Shared.Rent(ncMax * kcStep + pad);
        T* edge = stackalloc T[mr * nr];
        try
        {
            fixed (T* aRaw = aArray, bRaw = bArray)
            {
                T* ap = Align64(aRaw), bp = Align64(bRaw);
                for (int jc = 0; jc < n; jc += ncMax)
                {
                    int nc = Math.Min(ncMax, n - jc);
                    for (int pc = 0; pc < k; pc += kcStep)
                    {
                        int kc = Math.Min(kcStep, k - pc);
                        bool acc = accumulate || pc > 0, fillBias = bias is not null && pc == 0, last = pc + kc == k;
                        GemmPacking.PackB(nr, transB, b, ldb, pc, kc, jc, nc, bp);
                        for (int ic = 0; ic < m; ic += mcStep)
                        {
                            int mc = Math.Min(mcStep, m - ic);
                            T* block = c + ic * ldc + jc;
                            GemmPacking.PackA(mr, transA, a, lda, ic, mc, pc, kc, ap);
                            if (fillBias)
                                for (int i = 0; i < mc; i++) new ReadOnlySpan<T>(bias + jc, nc).CopyTo(new Span<T>(block + i * ldc, nc));
                            Sweep<T, TK>(kc, mc, nc, ap, bp, block, ldc, acc || fillBias, edge);
                            if (!epilogue || !last) continue;
                            // One call over the block when its rows are contiguous, so short rows still take the vector path.
                            if (ldc == nc) TE.Apply(new Span<T>(block, mc * nc));
                            else for (int i = 0; i < mc; i++) TE.Apply(new Span<T>(block + i * ldc, nc));
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(aArray);
            ArrayPool<T>.Shared.Return(bArray);
        }
    }

    static int DivUp(int x, int y) => (x + y - 1) / y;

    /// <summary>
    /// C block (mc×nc at <paramref name="c"/>) (+)= packed A block · packed B block, one micro-kernel call
    /// per MR×NR tile; edge tiles are computed into <paramref name="edge"/> and copied (or added) in part.
    /// </summary>
    static void Sweep<T, TK>(int kc, int mc, int nc, T* ap, T* bp, T* c, nint ldc, bool acc, T* edge)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TK : IGemmMicroKernel<T>
    {
        int mr = TK.MR, nr = TK.NR;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int nrCur = Math.Min(nr, nc - jr);
            T* bPanel = bp + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int mrCur = Math.Min(mr, mc - ir);
                T* aPanel = ap + (nint)ir * kc;
                T* cTile = c + ir * ldc + jr;
                if (mrCur == mr && nrCur == nr)
                {
                    TK.Run(kc, aPanel, bPanel, cTile, ldc, acc);
                    continue;
                }
                TK.Run(kc, aPanel, bPanel, edge, nr, false);
                for (int i = 0; i < mrCur; i++)
                for (int j = 0; j < nrCur; j++)
                    cTile[i * ldc + j] = acc ? cTile[i * ldc + j] + edge[i * nr + j] : edge[i * nr + j];
            }
        }
    }
}
