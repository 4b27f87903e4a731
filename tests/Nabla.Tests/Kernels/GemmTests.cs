using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>The fast matrix-product paths against <see cref="Nabla.Kernels.Reference.GemmReference"/>.</summary>
public class GemmTests
{
    static readonly (int, int, int)[] Awkward =
    [
        (0, 0, 0), (0, 5, 3), (4, 0, 3), (3, 4, 0), (1, 1, 1), (1, 17, 9), (9, 1, 17), (3, 4, 1),
        (7, 7, 7), (6, 16, 5), (7, 17, 9), (5, 15, 8), (13, 31, 7), (31, 13, 97), (97, 7, 31),
        (7, 9, 33), (6, 8, 4), (12, 32, 64), (25, 33, 41), (64, 64, 64), (97, 97, 97), (100, 40, 300),
    ];

    static void AssertAll<T>(IEnumerable<GemmCase> cases, GemmCase.Kernel<T> kernel, string label)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var failures = cases.Select(c => c.Run(kernel, label)).OfType<string>().Take(5).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Multiply_matches_reference_for_float_over_awkward_sizes() =>
        AssertAll<float>(GemmCase.Grid(Awkward), Gemm.Multiply, "Gemm.Multiply");

    [Fact]
    public void Multiply_matches_reference_for_double_over_awkward_sizes() =>
        AssertAll<double>(GemmCase.Grid(Awkward), Gemm.Multiply, "Gemm.Multiply");

    static readonly (int, int, int)[] PackedSizes =
    [
        (1, 1, 1), (2, 3, 1), (6, 16, 1), (7, 17, 2), (13, 31, 7), (31, 13, 97), (97, 7, 31), (30, 50, 11), (37, 70, 23),
    ];

    /// <summary>Tiny blocks, so that these small sizes cross every MC, KC and NC boundary several times.</summary>
    static readonly GemmBlocking TinyFloat = new(MC: 12, KC: 5, NC: 32), TinyDouble = new(MC: 12, KC: 5, NC: 16);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Packed_float_matches_reference_across_block_boundaries(int threads) =>
        AssertAll<float>(GemmCase.Grid(PackedSizes),
            (ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc) =>
                GemmPacked.Multiply<float, Vector6x2<float>>(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc, TinyFloat, threads),
            $"GemmPacked(threads {threads}, {TinyFloat})");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Packed_double_matches_reference_across_block_boundaries(int threads) =>
        AssertAll<double>(GemmCase.Grid(PackedSizes),
            (ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc) =>
                GemmPacked.Multiply<double, Vector6x2<double>>(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc, TinyDouble, threads),
            $"GemmPacked(threads {threads}, {TinyDouble})");

    /// <summary>Sizes that cross the production MC (144/72), KC (256) and NC (4080) and split across two workers.</summary>
    static readonly (int, int, int)[] ProductionBlockSizes = [(150, 40, 300), (80, 23, 513), (7, 4100, 3), (4100, 7, 3)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Packed_matches_reference_with_production_blocking(int threads)
    {
        AssertAll<float>(GemmCase.Grid(ProductionBlockSizes),
            (ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc) =>
                GemmPacked.Multiply<float, Vector6x2<float>>(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc, GemmBlocking.Float, threads),
            $"GemmPacked(threads {threads}, float blocking)");
        AssertAll<double>(GemmCase.Grid(ProductionBlockSizes),
            (ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc) =>
                GemmPacked.Multiply<double, Vector6x2<double>>(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc, GemmBlocking.Double, threads),
            $"GemmPacked(threads {threads}, double blocking)");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Direct_loops_match_reference(bool vectorize)
    {
        AssertAll<float>(GemmCase.Grid(Awkward),
            (ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc) =>
                GemmDirect.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc, vectorize),
            $"GemmDirect(vectorize {vectorize})");
        AssertAll<double>(GemmCase.Grid(Awkward),
            (ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc) =>
                GemmDirect.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc, vectorize),
            $"GemmDirect(vectorize {vectorize})");
    }

    [Fact]
    public void Multiply_rejects_a_span_too_short_for_its_shape()
    {
        var a = new float[3 * 4 - 1]; var b = new float[4 * 2]; var c = new float[3 * 2];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(false, false, 3, 2, 4, a, 4, b, 2, c, 2));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(false, false, 3, 2, 4, new float[12], 3, b, 2, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply<float>(false, false, -1, 2, 4, a, 4, b, 2, c, 2));
    }

    [Fact]
    public void MaxThreads_rejects_zero() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MaxThreads = 0);
}
