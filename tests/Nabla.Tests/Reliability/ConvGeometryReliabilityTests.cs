using Nabla.Tensors;

namespace Nabla.Tests.Reliability;

/// <summary>
/// Convolution and pooling geometry in checked 64-bit arithmetic: settings near int.MaxValue are refused with a
/// NablaException naming the setting (never a wrapped output size, an OverflowException or an
/// ArgumentOutOfRangeException), and kernels wider than the plane work.
/// </summary>
public class ConvGeometryReliabilityTests
{
    private static Tensor<double> X(int n, int c, int h, int w) =>
        Tensor<double>.FromArray([.. Enumerable.Range(0, n * c * h * w).Select(i => 1.0 + i % 7)], [n, c, h, w]);

    private static Tensor<double> W(int o, int c, int k) =>
        Tensor<double>.FromArray([.. Enumerable.Range(0, o * c * k * k).Select(i => 0.5 - i % 5 * 0.25)], [o, c, k, k]);

    [Fact]
    public void Padding_of_int_MaxValue_is_refused_instead_of_wrapping_to_a_1x1_output()
    {
        var e = Assert.Throws<NablaException>(() => Tensor<double>.Conv2d(X(1, 1, 5, 5), W(2, 1, 3), padding: int.MaxValue));
        Assert.Contains("padding 2147483647", e.Message);
        Assert.Contains("limit", e.Message);
    }

    [Fact]
    public void Padding_whose_output_passes_the_tensor_limit_is_refused_before_any_allocation()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NablaException>(() => Tensor<double>.Conv2d(X(1, 1, 5, 5), W(2, 1, 3), padding: 30_000));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
        Assert.Contains("the limit is 2,147,483,591", e.Message);
        Assert.Contains("60,003x60,003", e.Message);
    }

    [Fact]
    public void Dilation_of_int_MaxValue_is_refused_naming_it()
    {
        var e = Assert.Throws<NablaException>(() => Tensor<double>.Conv2d(X(1, 1, 5, 5), W(1, 1, 3), padding: 1, dilation: int.MaxValue));
        Assert.Contains("dilation 2147483647", e.Message);
        var pool = Assert.Throws<NablaException>(() => X(1, 1, 5, 5).MaxPool2d(3, 1, 1, int.MaxValue));
        Assert.Contains("dilation", pool.Message);
    }

    /// <summary>
    /// A 5×5 kernel with padding 2 on 1×1 images: only the kernel's centre sees the pixel, so y[n, o] = w[o, 0, 2, 2]·x[n]
    /// + b[o], and ∂Σy/∂x[n] = Σₒ w[o, 0, 2, 2].
    /// </summary>
    [Fact]
    public void A_kernel_wider_than_the_padded_plane_middle_computes_the_centre_tap()
    {
        var x = Tensor<double>.FromArray([3.0, -2.0], [2, 1, 1, 1]).RequireGrad();
        var w = W(3, 1, 5);
        var b = Tensor<double>.FromArray([0.1, 0.2, 0.3], [3]);
        var y = Tensor<double>.Conv2d(x, w, b, padding: 2);
        Assert.Equal([2, 3, 1, 1], y.Shape);
        var wv = w.ToArray();
        var yv = y.ToArray();
        for (int n = 0; n < 2; n++)
            for (int o = 0; o < 3; o++)
                Assert.Equal(wv[o * 25 + 12] * (n == 0 ? 3.0 : -2.0) + 0.1 * (o + 1), yv[n * 3 + o], 12);
        y.Sum().Backward();
        double centre = wv[12] + wv[37] + wv[62];
        Assert.Equal([centre, centre], x.Grad!.ToArray());
    }

    /// <summary>
    /// A stride near int.MaxValue with a padding of 2²⁹: one output position, whose window reads only padding, so the
    /// output is the bias (the first-column arithmetic −(j·dilation − padding) + stride − 1 passes int.MaxValue).
    /// </summary>
    [Fact]
    public void A_huge_stride_with_huge_padding_reads_only_padding()
    {
        var y = Tensor<double>.Conv2d(X(1, 1, 5, 5), W(1, 1, 3), Tensor<double>.FromArray([0.75], [1]), stride: int.MaxValue, padding: 1 << 29);
        Assert.Equal([1, 1, 1, 1], y.Shape);
        Assert.Equal([0.75], y.ToArray());
    }
}
