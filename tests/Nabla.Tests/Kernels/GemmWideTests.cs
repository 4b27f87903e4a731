using System.Numerics;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// The AVX-512 micro-kernel (<see cref="Vector6x2Wide{T}"/>) against <see cref="Nabla.Kernels.Reference.GemmReference"/>,
/// and against the AVX2 kernel: both sum each element of C in the same order, so they must agree bit for bit.
/// </summary>
public class GemmWideTests
{
    static readonly (int, int, int)[] PackedSizes =
    [
        (1, 1, 1), (2, 3, 1), (6, 32, 1), (7, 33, 2), (13, 31, 7), (31, 13, 97), (97, 7, 31), (30, 70, 11), (37, 70, 23),
    ];

    /// <summary>Tiny blocks (NC a multiple of the wide panels: 32 floats, 16 doubles), so small sizes cross every boundary.</summary>
    static readonly GemmBlocking Tiny = new(MC: 12, KC: 5, NC: 64);

    static void SkipUnlessSupported<T>() where T : unmanaged
    {
        if (!Vector6x2Wide<T>.IsSupported)
            Assert.Skip("this CPU (or DOTNET_EnableAVX512=0) gives no AVX-512, so the wide kernel cannot run here.");
    }

    static void AssertAll<T>(IEnumerable<GemmCase> cases, GemmCase.Kernel<T> kernel, string label)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var failures = cases.Select(c => c.Run(kernel, label)).OfType<string>().Take(5).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Wide_float_matches_reference_across_block_boundaries(int threads)
    {
        SkipUnlessSupported<float>();
        AssertAll<float>(GemmCase.Grid(PackedSizes),
            (ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc) =>
                GemmPacked.Multiply<float, Vector6x2Wide<float>>(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc, Tiny, threads),
            $"GemmPacked wide (threads {threads}, {Tiny})");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Wide_double_matches_reference_across_block_boundaries(int threads)
    {
        SkipUnlessSupported<double>();
        AssertAll<double>(GemmCase.Grid(PackedSizes),
            (ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc) =>
                GemmPacked.Multiply<double, Vector6x2Wide<double>>(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc, Tiny, threads),
            $"GemmPacked wide (threads {threads}, {Tiny})");
    }

    /// <summary>Sizes that cross the production MC, KC and NC and split across two workers.</summary>
    static readonly (int, int, int)[] ProductionBlockSizes = [(150, 40, 300), (80, 23, 513), (20, 40, 1700), (7, 1300, 3), (1300, 7, 3)];

    [Fact]
    public void Wide_matches_reference_with_production_blocking()
    {
        SkipUnlessSupported<float>();
        AssertAll<float>(GemmCase.Grid(ProductionBlockSizes),
            (ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc) =>
                GemmPacked.Multiply<float, Vector6x2Wide<float>>(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc, GemmBlocking.WideFloat, 2),
            "GemmPacked wide (float blocking)");
        AssertAll<double>(GemmCase.Grid(ProductionBlockSizes),
            (ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc) =>
                GemmPacked.Multiply<double, Vector6x2Wide<double>>(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc, GemmBlocking.WideDouble, 2),
            "GemmPacked wide (double blocking)");
    }

    /// <summary>
    /// The products of a W3 training step (forward X·Wᵀ, dW = dYᵀ·X, dX = dY·W) and a few awkward ones (k crossing KC):
    /// the wide and the AVX2 kernel, given the same blocking, give the same bits.
    /// </summary>
    [Theory]
    [InlineData(false, true, 256, 512, 784)]
    [InlineData(true, false, 512, 784, 256)]
    [InlineData(false, false, 256, 512, 256)]
    [InlineData(true, true, 37, 70, 300)]
    [InlineData(false, false, 40, 50, 1700)]
    [InlineData(false, true, 256, 10, 256)]
    public void Wide_and_AVX2_kernels_agree_bit_for_bit(bool transA, bool transB, int m, int n, int k)
    {
        SkipUnlessSupported<float>();
        if (!Gemm.IsAccelerated) Assert.Skip("this CPU has no AVX2 + FMA, so the AVX2 kernel cannot run here.");
        Same<float>(transA, transB, m, n, k, GemmBlocking.WideFloat);
        Same<float>(transA, transB, m, n, k, GemmBlocking.WideFloat with { KC = 256 });
        Same<double>(transA, transB, m, n, k, GemmBlocking.WideDouble);
        Same<double>(transA, transB, m, n, k, GemmBlocking.WideDouble with { KC = 256 });
    }

    static void Same<T>(bool transA, bool transB, int m, int n, int k, GemmBlocking blocking)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(7);
        T[] a = Random<T>(rng, m * k), b = Random<T>(rng, k * n), c0 = Random<T>(rng, m * n);
        int lda = transA ? m : k, ldb = transB ? k : n;
        foreach (bool accumulate in new[] { false, true })
        {
            T[] c1 = (T[])c0.Clone(), c2 = (T[])c0.Clone();
            GemmPacked.Multiply<T, Vector6x2<T>>(transA, transB, m, n, k, a, lda, b, ldb, c1, n, accumulate, blocking, 2);
            GemmPacked.Multiply<T, Vector6x2Wide<T>>(transA, transB, m, n, k, a, lda, b, ldb, c2, n, accumulate, blocking, 2);
            int diff = Enumerable.Range(0, c1.Length).FirstOrDefault(i => !c1[i].Equals(c2[i]), -1);
            Assert.True(diff < 0, $"{typeof(T).Name} {m}x{n}x{k} {blocking} transA {transA} transB {transB} accumulate {accumulate}: " +
                $"C[{diff / Math.Max(n, 1)}, {diff % Math.Max(n, 1)}] is {(diff < 0 ? default : c1[diff])} (AVX2) vs {(diff < 0 ? default : c2[diff])} (AVX-512)");
        }
    }

    /// <summary>The wide blocking's larger buffers (an A block of 144×800, a B block of 1280×800) come from the pool too.</summary>
    [Fact]
    public void Repeated_wide_products_allocate_no_packing_buffers()
    {
        SkipUnlessSupported<float>();
        const int n = 1500;
        var a = new float[n * n]; var b = new float[n * n]; var c = new float[n * n];
        void Run() => GemmPacked.Multiply<float, Vector6x2Wide<float>>(false, true, n, n, n, a, n, b, n, c, n, false, GemmBlocking.WideFloat, threads: 1);
        Run();
        long allocated = AllocationMeasure.Least(Run);
        Assert.True(allocated < 1024, $"second {n}×{n}×{n} product allocated {allocated} bytes on the calling thread");
    }

    static T[] Random<T>(Random rng, int length) where T : IFloatingPointIeee754<T>
    {
        var x = new T[length];
        for (int i = 0; i < length; i++) x[i] = T.CreateChecked(rng.NextDouble() * 2 - 1);
        return x;
    }
}
