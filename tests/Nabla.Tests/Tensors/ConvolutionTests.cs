using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Convolution and pooling forward passes against direct loops written from the definitions (sum over the window of
/// input times kernel, max or mean over the window), for settings the im2col path treats differently.
/// </summary>
public class ConvolutionTests
{
    internal static Tensor<double> Random(RandomState rng, params int[] shape) => new(rng.StandardNormal(shape), shape);

    /// <summary>y[n, o, a, b] = bias[o] + Σ_{c in o's group, i, j} x[n, c, a·s − p + i·d, b·s − p + j·d]·w[o, c − group start, i, j].</summary>
    private static double[] DirectConv(Tensor<double> x, Tensor<double> w, Tensor<double>? bias, int s, int p, int d, int groups, out int oh, out int ow)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        oh = (h + 2 * p - d * (kh - 1) - 1) / s + 1;
        ow = (wd + 2 * p - d * (kw - 1) - 1) / s + 1;
        var y = new double[n * o * oh * ow];
        int at = 0;
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int a = 0; a < oh; a++)
                    for (int e = 0; e < ow; e++, at++)
                    {
                        double sum = bias is null ? 0 : bias[oc];
                        int g = oc / (o / groups);
                        for (int ci = 0; ci < cg; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int r = a * s - p + i * d, q = e * s - p + j * d;
                                    if (r >= 0 && r < h && q >= 0 && q < wd) sum += x[b, g * cg + ci, r, q] * w[oc, ci, i, j];
                                }
                        y[at] = sum;
                    }
        return y;
    }

    [Theory]
    [InlineData(1, 0, 1, 1)]
    [InlineData(2, 1, 1, 1)]
    [InlineData(1, 2, 2, 1)]
    [InlineData(2, 1, 2, 2)]
    [InlineData(3, 0, 1, 4)]
    public void Conv2d_matches_the_direct_sum(int stride, int padding, int dilation, int groups)
    {
        var rng = new RandomState(11);
        var x = Random(rng, 3, 4, 9, 8);
        var w = Random(rng, 8, 4 / groups, 3, 2);
        var b = Random(rng, 8);
        var y = Tensor<double>.Conv2d(x, w, b, stride, padding, dilation, groups);
        var expected = DirectConv(x, w, b, stride, padding, dilation, groups, out int oh, out int ow);
        Assert.Equal([3, 8, oh, ow], y.Shape);
        var actual = y.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }

    [Fact]
    public void Conv2d_in_float_on_a_large_batch_matches_double()
    {
        // Large enough for the packed, multi-threaded product.
        var rng = new RandomState(3);
        var x = Random(rng, 16, 6, 20, 20);
        var w = Random(rng, 16, 6, 5, 5);
        var yd = Tensor<double>.Conv2d(x, w).ToArray();
        var yf = Tensor<float>.Conv2d(x.To<float>(), w.To<float>()).ToArray();
        for (int i = 0; i < yd.Length; i++) Assert.Equal(yd[i], yf[i], 2e-4 * (1 + Math.Abs(yd[i])));
    }

    [Fact]
    public void Conv2d_errors_name_the_shapes_and_setting()
    {
        var x = Tensor<double>.Zeros(1, 3, 5, 5);
        var e = Assert.Throws<NablaException>(() => Tensor<double>.Conv2d(x, Tensor<double>.Zeros(2, 2, 3, 3)));
        Assert.Contains("(1, 3, 5, 5)", e.Message);
        Assert.Contains("(2, 2, 3, 3)", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.Conv2d(x, Tensor<double>.Zeros(2, 3, 7, 7)));
        Assert.Contains("does not fit", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.Conv2d(x, Tensor<double>.Zeros(2, 3, 3, 3), stride: 0));
        Assert.Contains("stride", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.Conv2d(Tensor<double>.Zeros(3, 5, 5), Tensor<double>.Zeros(2, 3, 3, 3)));
        Assert.Contains("[N, C, H, W]", e.Message);
        e = Assert.Throws<NablaException>(() => Tensor<double>.Conv2d(x, Tensor<double>.Zeros(2, 3, 3, 3), Tensor<double>.Zeros(3)));
        Assert.Contains("bias", e.Message);
    }

    [Theory]
    [InlineData(2, null, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 0)]
    public void Pooling_matches_the_window_max_and_mean(int k, int? stride, int padding)
    {
        var rng = new RandomState(5);
        var x = Random(rng, 2, 3, 7, 6);
        int s = stride ?? k, oh = (7 + 2 * padding - k) / s + 1, ow = (6 + 2 * padding - k) / s + 1;
        var (max, indices) = x.MaxPool2dWithIndices(k, stride, padding);
        var avg = x.AvgPool2d(k, stride, padding);
        var avgValid = x.AvgPool2d(k, stride, padding, countIncludePad: false);
        Assert.Equal([2, 3, oh, ow], max.Shape);
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int a = 0; a < oh; a++)
                    for (int b = 0; b < ow; b++)
                    {
                        double best = double.NegativeInfinity, sum = 0;
                        int count = 0, arg = -1;
                        for (int i = 0; i < k; i++)
                            for (int j = 0; j < k; j++)
                            {
                                int r = a * s - padding + i, q = b * s - padding + j;
                                if (r < 0 || r >= 7 || q < 0 || q >= 6) continue;
                                if (x[n, c, r, q] > best) { best = x[n, c, r, q]; arg = r * 6 + q; }
                                sum += x[n, c, r, q];
                                count++;
                            }
                        Assert.Equal(best, max[n, c, a, b]);
                        Assert.Equal(arg, indices[((n * 3 + c) * oh + a) * ow + b]);
                        Assert.Equal(sum / (k * k), avg[n, c, a, b], 1e-12);
                        Assert.Equal(sum / count, avgValid[n, c, a, b], 1e-12);
                    }
    }

    [Fact]
    public void Max_pool_gradient_goes_to_the_maximum_only()
    {
        var x = new Tensor<double>([1, 5, 2, 3, /**/ 0, 0, 0, 0, /**/ 9, 1, 1, 1, /**/ 1, 1, 1, 2], 1, 1, 4, 4).RequireGrad();
        x.MaxPool2d(2).Sum().Backward();
        Assert.Equal([0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1], x.Grad!.ToArray());
    }

    [Fact]
    public void Pooling_refuses_padding_over_half_the_kernel()
    {
        var e = Assert.Throws<NablaException>(() => Tensor<double>.Zeros(1, 1, 4, 4).MaxPool2d(2, padding: 2));
        Assert.Contains("padding 2", e.Message);
    }
}
