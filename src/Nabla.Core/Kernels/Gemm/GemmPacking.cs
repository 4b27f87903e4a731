using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous panel layout the micro-kernels stream through.
/// The transposes are resolved here, so one micro-kernel serves all four transpose combinations; edges
/// are padded with zeros, so the micro-kernel never sees a partial panel.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows i0 … i0+mc−1 and depths p0 … p0+kc−1 of op(A) into ⌈mc/mr⌉ panels of mr rows:
    /// dst[q·mr·kc + p·mr + r] = op(A)(i0 + q·mr + r, p0 + p), or 0 where i0 + q·mr + r ≥ i0 + mc.
    /// op(A)(i,p) is a[i·lda + p], or a[p·lda + i] when <c>transA</c>.
    /// </summary>
    public static void PackA<T>(int mr, bool transA, T* a, nint lda, int i0, int mc, int p0, int kc, T* dst)
        where T : unmanaged
    {
        for (int q = 0; q < mc; q += mr, dst += (nint)mr * kc)
        {
            int rows = Math.Min(mr, mc - q);
            if (transA)
            {
                T* src = a + (nint)p0 * lda + i0 + q;
                for (int p = 0; p < kc; p++, src += lda)
                {
                    T* d = dst + (nint)p * mr;
                    int r = 0;
                    for (; r < rows; r++) d[r] = src[r];
                    for (; r < mr; r++) d[r] = default;
                }
            }
            else if (rows == 6 && mr == 6)
            {
                T* r0 = a + (nint)(i0 + q) * lda + p0;
                T* r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
                T* d = dst;
                for (int p = 0; p < kc; p++, d += 6)
                {
                    d[0] = r0[p]; d[1] = r1[p]; d[2] = r2[p]; d[3] = r3[p]; d[4] = r4[p]; d[5] = r5[p];
                }
            }
            else
            {
                for (int r = 0; r < mr; r++)
                {
                    T* src = a + (nint)(i0 + q + r) * lda + p0;
                    for (int p = 0; p < kc; p++) dst[(nint)p * mr + r] = r < rows ? src[p] : default;
                }
            }
        }
    }

    /// <summary>
    /// Packs depths p0 … p0+kc−1 and columns j0 … j0+nc−1 of op(B) into ⌈nc/nr⌉ panels of nr columns:
    /// dst[q·nr·kc + p·nr + j] = op(B)(p0 + p, j0 + q·nr + j), or 0 where j0 + q·nr + j ≥ j0 + nc.
    /// op(B)(p,j) is b[p·ldb + j], or b[j·ldb + p] when <c>transB</c>. Full panels of 64 or 128 bytes per row (the AVX2 and AVX-512 kernels' widths) are copied a vector at a time;
    /// full panels of a transposed B go through <see cref="GemmTranspose"/>.
    /// </summary>
    public static void PackB<T>(int nr, bool transB, T* b, nint ldb, int p0, int kc, int j0, int nc, T* dst)
        where T : unmanaged
    {
        for (int q = 0; q < nc; q += nr, dst += (nint)nr * kc)
        {
            int cols = Math.Min(nr, nc - q);
            if (!transB && cols == nr && nr * sizeof(T) == 2 * Vector256<byte>.Count)
            {
                T* src = b + (nint)p0 * ldb + j0 + q;
                int half = Vector256<byte>.Count / sizeof(T);
                for (int p = 0; p < kc; p++, src += ldb)
                {
                    Vector256.Store(Vector256.Load(src), dst + (nint)p * nr);
                    Vector256.Store(Vector256.Load(src + half), dst + (nint)p * nr + half);
                }
            }
            else if (!transB && cols == nr && nr * sizeof(T) == 4 * Vector256<byte>.Count)
            {
                // The AVX-512 kernel's panels: 128 bytes per row.
                T* src = b + (nint)p0 * ldb + j0 + q;
                int quarter = Vector256<byte>.Count / sizeof(T);
                for (int p = 0; p < kc; p++, src += ldb)
                {
                    T* d = dst + (nint)p * nr;
                    Vector256.Store(Vector256.Load(src), d);
                    Vector256.Store(Vector256.Load(src + quarter), d + quarter);
                    Vector256.Store(Vector256.Load(src + 2 * quarter), d + 2 * quarter);
                    Vector256.Store(Vector256.Load(src + 3 * quarter), d + 3 * quarter);
                }
            }
            else if (!transB)
            {
                T* src = b + (nint)p0 * ldb + j0 + q;
                for (int p = 0; p < kc; p++, src += ldb)
                {
                    T* d = dst + (nint)p * nr;
                    int j = 0;
                    for (; j < cols; j++) d[j] = src[j];
                    for (; j < nr; j++) d[j] = default;
                }
            }
            else if (cols == nr && nr % GemmTranspose.Side<T>() == 0 && GemmTranspose.IsSupported<T>())
            {
                // Rows of the stored B are columns of the panel: transpose square blocks in registers, the rest of kc by element.
                int side = GemmTranspose.Side<T>(), p = 0;
                T* src = b + (nint)(j0 + q) * ldb + p0;
                for (; p + side <= kc; p += side)
                    for (int j = 0; j < nr; j += side)
                        GemmTranspose.Block(src + (nint)j * ldb + p, ldb, dst + (nint)p * nr + j, nr);
                for (; p < kc; p++)
                    for (int j = 0; j < nr; j++) dst[(nint)p * nr + j] = src[(nint)j * ldb + p];
            }
            else
            {
                for (int j = 0; j < nr; j++)
                {
                    T* src = b + (nint)(j0 + q + j) * ldb + p0;
                    T* d = dst + j;
                    if (j < cols)
                        for (int p = 0; p < kc; p++) d[(nint)p * nr] = src[p];
                    else
                        for (int p = 0; p < kc; p++) d[(nint)p * nr] = default;
                }
            }
        }
    }
}
