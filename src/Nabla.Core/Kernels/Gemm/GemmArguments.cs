namespace Nabla.Kernels;

/// <summary>
/// Argument checks shared by the matrix-product paths. The packed kernels read and write through raw
/// pointers, so every element they touch must be proven inside its span first.
/// </summary>
internal static class GemmArguments
{
    /// <summary>
    /// Throws unless m, n, k ≥ 0 and A (stored m×k, or k×m when transposed), B (stored k×n, or n×k) and
    /// C (stored m×n) each have a row stride at least their stored row length and a span at least
    /// (rows − 1)·stride + row length long (nothing is required of a matrix with no elements).
    /// </summary>
    public static void Check(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, "m must not be negative.");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must not be negative.");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "k must not be negative.");
        Operand("a", transA ? k : m, transA ? m : k, lda, aLength);
        Operand("b", transB ? n : k, transB ? k : n, ldb, bLength);
        Operand("c", m, n, ldc, cLength);
    }

    // Inlined, with the messages built apart: a notebook-sized product costs little more than these checks.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    static void Operand(string name, int rows, int cols, int ld, int length)
    {
        if (ld < cols) ThrowStride(name, cols, ld);
        if (rows == 0 || cols == 0) return;
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed) ThrowLength(name, rows, cols, ld, length, needed);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    static void ThrowStride(string name, int cols, int ld) =>
        throw new ArgumentException($"Row stride ld{name} = {ld} is smaller than the stored row length {cols} of {name}.", "ld" + name);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    static void ThrowLength(string name, int rows, int cols, int ld, int length, long needed) =>
        throw new ArgumentException($"Span {name} has {length} elements; a {rows}×{cols} matrix with row stride {ld} needs {needed}.", name);
}
