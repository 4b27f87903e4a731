using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// Matrix product without packing: the path for tiny problems (a 3×4 layer), matrix–vector products
/// (m = 1 or n = 1), element types without a packed kernel and machines without AVX2 + FMA.
/// Arguments are as for <see cref="Gemm.Multiply{T}"/> and are assumed already checked.
/// </summary>
internal static class GemmDirect
{
    /// <summary>
    /// C = op(A)·op(B) (or += with <c>accumulate</c>). When B is not transposed, row i of C is built as
    /// Σₚ A(i,p)·B[p,:] (a scaled-row update along contiguous rows of B and C); when B is transposed,
    /// C(i,j) = Σₚ A(i,p)·Bᵀ(p,j) is a dot product along contiguous rows of the stored B.
    /// <c>vectorize</c> false forces the scalar loops (what runs where Vector256 is not accelerated).
    /// </summary>
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, bool vectorize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        bool vec = vectorize && Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;
        // A column vector B (n = 1) stored with unit stride is also the single row of a transposed B.
        if (!transB && n == 1 && ldb == 1) { transB = true; ldb = k; }
        if (!transB)
        {
            for (int i = 0; i < m; i++)
            {
                Span<T> cRow = c.Slice(i * ldc, n);
                if (!accumulate) cRow.Clear();
                for (int p = 0; p < k; p++)
                {
                    T s = transA ? a[p * lda + i] : a[i * lda + p];
                    ReadOnlySpan<T> bRow = b.Slice(p * ldb, n);
                    if (vec) AddScaled(s, bRow, cRow); else AddScaledScalar(s, bRow, cRow);
                }
            }
            return;
        }
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<T> bRow = b.Slice(j * ldb, k);
            T sum;
            if (!transA)
            {
                ReadOnlySpan<T> aRow = a.Slice(i * lda, k);
                sum = vec ? Dot(aRow, bRow) : DotScalar(aRow, bRow);
            }
            else
            {
                sum = T.Zero;
                for (int p = 0; p < k; p++) sum += a[p * lda + i] * bRow[p];
            }
            ref T cij = ref c[i * ldc + j];
            cij = accumulate ? cij + sum : sum;
        }
    }

    /// <summary>y[j] += s·x[j] for j &lt; x.Length, eight or four lanes at a time.</summary>
    static void AddScaled<T>(T s, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        var vs = Vector256.Create(s);
        for (; j <= x.Length - Vector256<T>.Count; j += Vector256<T>.Count)
        {
            var r = vs * Vector256.Create(x.Slice(j)) + Vector256.Create((ReadOnlySpan<T>)y.Slice(j));
            r.CopyTo(y.Slice(j));
        }
        for (; j < x.Length; j++) y[j] += s * x[j];
    }

    static void AddScaledScalar<T>(T s, ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        for (int j = 0; j < x.Length; j++) y[j] += s * x[j];
    }

    /// <summary>Σⱼ x[j]·y[j], accumulated in two vector registers and then the scalar tail.</summary>
    static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count, j = 0;
        Vector256<T> s0 = Vector256<T>.Zero, s1 = Vector256<T>.Zero;
        for (; j <= x.Length - 2 * w; j += 2 * w)
        {
            s0 = s0 + Vector256.Create(x.Slice(j)) * Vector256.Create(y.Slice(j));
            s1 = s1 + Vector256.Create(x.Slice(j + w)) * Vector256.Create(y.Slice(j + w));
        }
        for (; j <= x.Length - w; j += w)
            s0 = s0 + Vector256.Create(x.Slice(j)) * Vector256.Create(y.Slice(j));
        T sum = Vector256.Sum(s0 + s1);
        for (; j < x.Length; j++) sum += x[j] * y[j];
        return sum;
    }

    static T DotScalar<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int j = 0; j < x.Length; j++) sum += x[j] * y[j];
        return sum;
    }
}
