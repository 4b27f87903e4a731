using System.Numerics;
using Nabla.Kernels.Reference;

namespace Nabla.Kernels;

/// <summary>
/// General matrix product on row-major storage: C[m×n] = op(A)[m×k] · op(B)[k×n] (or += with
/// <c>accumulate</c>), where op(X) is X or Xᵀ. <c>lda</c>, <c>ldb</c>, <c>ldc</c> are the row strides
/// of A, B and C as stored. This is the one entry point the tensor engine calls.
/// </summary>
public static class Gemm
{
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // For now the reference loop; the packed, register-tiled kernel replaces this body.
        GemmReference.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    }
}
