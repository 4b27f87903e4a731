using System.Numerics;

namespace Nabla.Kernels.Reference;

/// <summary>
/// The plain triple loop every fast matrix-product kernel is tested against. Row-major storage;
/// op(A) is A or Aᵀ as <c>transA</c> says, likewise op(B).
/// </summary>
internal static class GemmReference
{
    /// <summary>C = op(A)·op(B), or C += op(A)·op(B) when <c>accumulate</c> is true.</summary>
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            T sum = T.Zero;
            for (int p = 0; p < k; p++)
            {
                T av = transA ? a[p * lda + i] : a[i * lda + p];
                T bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                sum += av * bv;
            }
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
        }
    }
}
