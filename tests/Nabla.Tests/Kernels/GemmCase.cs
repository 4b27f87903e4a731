using System.Globalization;
using System.Numerics;
using Nabla.Kernels.Reference;

namespace Nabla.Tests.Kernels;

/// <summary>
/// One matrix-product case: random operands stored with row strides wider than their rows, a kernel run
/// on them, and a comparison with <see cref="GemmReference"/>. Elements of C outside the m×n block
/// (the stride padding) hold a sentinel that must survive. Failures name every parameter of the case.
/// </summary>
internal sealed record GemmCase(bool TransA, bool TransB, int M, int N, int K, int Pad, bool Accumulate, int Seed = 1)
{
    public delegate void Kernel<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate);

    /// <summary>Runs <paramref name="kernel"/> on this case; returns null when it agrees with the reference, else why not.</summary>
    public string? Run<T>(Kernel<T> kernel, string label) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(Seed);
        int aRows = TransA ? K : M, aCols = TransA ? M : K, bRows = TransB ? N : K, bCols = TransB ? K : N;
        int lda = aCols + Pad, ldb = bCols + Pad, ldc = N + Pad;
        T[] a = Fill<T>(rng, aRows * lda), b = Fill<T>(rng, bRows * ldb);
        T[] c0 = Fill<T>(rng, M * ldc);
        T sentinel = T.CreateChecked(12345.5);
        for (int i = 0; i < M; i++)
        for (int j = 0; j < ldc; j++)
            if (j >= N) c0[i * ldc + j] = sentinel;
            else if (!Accumulate) c0[i * ldc + j] = T.NaN; // must be overwritten, never read
        T[] expected = (T[])c0.Clone(), actual = (T[])c0.Clone();
        GemmReference.Multiply(TransA, TransB, M, N, K, a, lda, b, ldb, expected, ldc, Accumulate);
        kernel(TransA, TransB, M, N, K, a, lda, b, ldb, actual, ldc, Accumulate);

        double eps = double.CreateChecked(T.BitIncrement(T.One) - T.One); // machine epsilon of T
        for (int i = 0; i < M; i++)
        for (int j = 0; j < ldc; j++)
        {
            int at = i * ldc + j;
            double got = double.CreateChecked(actual[at]), want = double.CreateChecked(expected[at]);
            if (j >= N)
            {
                if (got != double.CreateChecked(sentinel)) return Describe<T>(label, i, j, got, want, 0, "padding of C was written");
                continue;
            }
            double scale = Accumulate ? Math.Abs(double.CreateChecked(c0[at])) : 0;
            for (int p = 0; p < K; p++)
                scale += Math.Abs(double.CreateChecked(TransA ? a[p * lda + i] : a[i * lda + p])
                                  * double.CreateChecked(TransB ? b[j * ldb + p] : b[p * ldb + j]));
            double tol = 2 * (K + 2) * eps * scale + 1e-300;
            if (!(Math.Abs(got - want) <= tol)) return Describe<T>(label, i, j, got, want, tol, "|got − want| ≤ 2(k+2)·eps·(Σ|a||b| + |c₀|)");
        }
        return null;
    }

    string Describe<T>(string label, int i, int j, double got, double want, double tol, string test) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{label} {typeof(T).Name} {this}: C({i},{j}) got {got:R}, reference {want:R}, tolerance {tol:R} ({test})");

    static T[] Fill<T>(Random rng, int length) where T : IFloatingPointIeee754<T>
    {
        var x = new T[length];
        for (int i = 0; i < length; i++) x[i] = T.CreateChecked(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>Every transpose combination × accumulate on/off × padding 0 and 3 for each (m, n, k).</summary>
    public static IEnumerable<GemmCase> Grid(IEnumerable<(int M, int N, int K)> sizes)
    {
        foreach (var (m, n, k) in sizes)
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        foreach (bool acc in new[] { false, true })
        foreach (int pad in new[] { 0, 3 })
            yield return new GemmCase(ta, tb, m, n, k, pad, acc, Seed: m * 1_000_003 + n * 1009 + k);
    }
}
