namespace Nabla.Kernels;

/// <summary>
/// A register-tiled micro-kernel: the innermost step of the packed matrix product, specialised by the
/// JIT per implementing struct (no virtual calls).
/// </summary>
internal unsafe interface IGemmMicroKernel<T> where T : unmanaged
{
    /// <summary>Rows of C one call computes (rows of a packed A panel).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of C one call computes (columns of a packed B panel).</summary>
    static abstract int NR { get; }

    /// <summary>
    /// C(i,j) = Σ_{p&lt;kc} a[p·MR + i]·b[p·NR + j] for i &lt; MR, j &lt; NR, where C(i,j) is c[i·ldc + j];
    /// with <c>accumulate</c> the sum is added to C(i,j) instead of replacing it. kc may be 0.
    /// </summary>
    static abstract void Run(nint kc, T* a, T* b, T* c, nint ldc, bool accumulate);
}
