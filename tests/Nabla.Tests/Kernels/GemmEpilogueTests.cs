using System.Numerics;
using Nabla.Kernels;
using Nabla.Rng;

namespace Nabla.Tests.Kernels;

/// <summary>
/// The fused layer's product (bias and activation in the packed product's epilogue) against the two-pass reference it
/// replaces: rows pre-filled with the bias, the product accumulated onto them, then the activation over the whole
/// output. Bit for bit, over shapes that split rows or columns across workers, several k-slices and edge tiles.
/// </summary>
public class GemmEpilogueTests
{
    /// <summary>ReLU as an epilogue, written here independently of the engine's op structs.</summary>
    readonly struct ReluRows<T> : IGemmEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Apply(Span<T> row)
        {
            for (int i = 0; i < row.Length; i++) row[i] = T.Max(row[i], T.Zero);
        }
    }

    [Theory]
    [InlineData(96, 64, 40, false, true)]    // rows split across workers, one k-slice
    [InlineData(7, 300, 600, true, false)]   // columns split, three k-slices, transposed A, edge rows
    [InlineData(130, 50, 513, false, false)] // several k-slices, edge tiles in both directions
    [InlineData(20, 4100, 30, false, true)]  // more columns than one NC block
    [InlineData(5, 6, 3, false, true)]       // small: the unpacked path
    public void Bias_and_activation_in_the_epilogue_equal_the_two_pass_reference(int m, int n, int k, bool transA, bool transB)
    {
        Check<float>(m, n, k, transA, transB);
        Check<double>(m, n, k, transA, transB);
    }

    static void Check<T>(int m, int n, int k, bool transA, bool transB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rs = new RandomState((uint)(m * 1000 + n + k));
        T[] a = Values<T>(rs, m * k), b = Values<T>(rs, k * n), bias = Values<T>(rs, n);
        int lda = transA ? m : k, ldb = transB ? k : n;

        var expected = new T[m * n];
        for (int i = 0; i < m; i++) bias.CopyTo(expected.AsSpan(i * n, n));
        Gemm.Multiply<T>(transA, transB, m, n, k, a, lda, b, ldb, expected, n, accumulate: true);
        var noActivation = (T[])expected.Clone();
        ReluRows<T>.Apply(expected);

        var actual = Values<T>(rs, m * n);   // garbage the product must overwrite
        Gemm.MultiplyBiasEpilogue<T, ReluRows<T>>(transA, transB, m, n, k, a, lda, b, ldb, actual, n, bias);
        Assert.Equal(expected, actual);

        var plain = Values<T>(rs, m * n);
        Gemm.MultiplyBiasEpilogue<T, NoEpilogue<T>>(transA, transB, m, n, k, a, lda, b, ldb, plain, n, bias);
        Assert.Equal(noActivation, plain);
        Assert.Contains(expected, v => v == T.Zero);   // the activation did something
    }

    static T[] Values<T>(RandomState rs, int count) where T : unmanaged, IFloatingPointIeee754<T> =>
        rs.StandardNormal(count).Select(v => T.CreateTruncating(v)).ToArray();
}
