using Nabla.Kernels;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// The sample-by-sample convolution (unfold, matrix products, fold back) and the pooling fast paths against loops written
/// from the definitions, forward and both gradients, on the sizes that take different code: stride, padding and
/// dilation that leave partial rows, groups, batch 1 (one part, products on every core), odd channel counts, 1×1 kernels
/// that skip the unfolding, and float sizes large enough for the packed product.
/// </summary>
public class ConvolutionGradientTests
{
    /// <summary>
    /// dx, dw and db of Σ y·dy for y = conv(x, w) + b, from the definition: every product x[n, c, r, q]·w[o, ci, i, j]
    /// that feeds y[n, o, a, b] sends dy[n, o, a, b]·w to dx and dy·x to dw.
    /// </summary>
    private static (double[] Dx, double[] Dw, double[] Db) DirectGradients(Tensor<double> x, Tensor<double> w, Tensor<double> dy, int s, int p, int d, int groups)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int oh = dy.Shape[2], ow = dy.Shape[3];
        var dx = new double[x.ElementCount];
        var dw = new double[w.ElementCount];
        var db = new double[o];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int a = 0; a < oh; a++)
                    for (int e = 0; e < ow; e++)
                    {
                        double g = dy[b, oc, a, e];
                        db[oc] += g;
                        int grp = oc / (o / groups);
                        for (int ci = 0; ci < cg; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int r = a * s - p + i * d, q = e * s - p + j * d;
                                    if (r < 0 || r >= h || q < 0 || q >= wd) continue;
                                    int xi = ((b * c + grp * cg + ci) * h + r) * wd + q, wi = ((oc * cg + ci) * kh + i) * kw + j;
                                    dx[xi] += g * w[oc, ci, i, j];
                                    dw[wi] += g * x[b, grp * cg + ci, r, q];
                                }
                    }
        return (dx, dw, db);
    }

    [Theory]
    // batch, in channels, out channels, height, width, kernel h, kernel w, stride, padding, dilation, groups
    [InlineData(1, 3, 5, 7, 6, 3, 3, 1, 1, 1, 1)]   // batch 1: a single part whose products may use every core
    [InlineData(4, 3, 5, 9, 8, 3, 2, 2, 1, 1, 1)]   // stride 2 with a partial last window
    [InlineData(3, 5, 7, 10, 9, 3, 3, 1, 2, 2, 1)]  // dilation 2 with padding 2: kernel columns that read only padding
    [InlineData(2, 6, 9, 8, 7, 2, 3, 3, 0, 1, 3)]   // groups 3, stride 3
    [InlineData(5, 4, 4, 6, 6, 3, 3, 2, 1, 2, 4)]   // depthwise (groups = channels)
    [InlineData(3, 5, 3, 4, 5, 1, 1, 1, 0, 1, 1)]   // 1×1 with stride 1: the sample is its own unfolding
    [InlineData(2, 4, 6, 4, 5, 1, 1, 1, 0, 1, 2)]   // 1×1 in two groups
    [InlineData(2, 3, 2, 5, 5, 1, 1, 2, 1, 1, 1)]   // 1×1 with stride and padding: unfolded as usual
    [InlineData(3, 1, 6, 12, 11, 5, 5, 1, 0, 1, 1)] // LeNet's first layer on an odd width
    [InlineData(13, 6, 16, 12, 12, 5, 5, 1, 0, 1, 1)] // LeNet's second layer: chunks of 6 samples side by side and a 1-sample rest
    public void Conv2d_gradients_match_the_definition(int n, int cin, int cout, int h, int w, int kh, int kw, int stride, int padding, int dilation, int groups)
    {
        var rng = new RandomState(21);
        var x = ConvolutionTests.Random(rng, n, cin, h, w).RequireGrad();
        var weight = ConvolutionTests.Random(rng, cout, cin / groups, kh, kw).RequireGrad();
        var bias = ConvolutionTests.Random(rng, cout).RequireGrad();
        var y = Tensor<double>.Conv2d(x, weight, bias, stride, padding, dilation, groups);
        var dy = ConvolutionTests.Random(rng, [.. y.Shape]);
        y.Backward(dy);
        var (dx, dw, db) = DirectGradients(x, weight, dy, stride, padding, dilation, groups);
        AssertClose(dx, x.Grad!.ToArray(), 1e-12);
        AssertClose(dw, weight.Grad!.ToArray(), 1e-12);
        AssertClose(db, bias.Grad!.ToArray(), 1e-12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Conv2d_gradients_are_the_same_on_one_core_and_on_all(int groups)
    {
        // Float sizes where the packed product runs, on every core (samples spread) and on one (MaxThreads = 1).
        var rng = new RandomState(4);
        var x = ConvolutionTests.Random(rng, 6, 8, 13, 11);
        var w = ConvolutionTests.Random(rng, 16, 8 / groups, 3, 3);
        var dy = ConvolutionTests.Random(rng, 6, 16, 13, 11);
        float[] Run(int threads, out float[] dx, out float[] dw)
        {
            int saved = Gemm.MaxThreads;
            Gemm.MaxThreads = threads;
            try
            {
                var xf = x.To<float>().RequireGrad();
                var wf = w.To<float>().RequireGrad();
                var y = Tensor<float>.Conv2d(xf, wf, padding: 1, groups: groups);
                y.Backward(dy.To<float>());
                (dx, dw) = (xf.Grad!.ToArray(), wf.Grad!.ToArray());
                return y.ToArray();
            }
            finally { Gemm.MaxThreads = saved; }
        }
        var y1 = Run(1, out var dx1, out var dw1);
        var yAll = Run(Environment.ProcessorCount, out var dxAll, out var dwAll);
        var yd = Tensor<double>.Conv2d(x, w, padding: 1, groups: groups).ToArray();
        var (dxd, dwd, _) = DirectGradients(x, w, dy, 1, 1, 1, groups);
        foreach (var (expected, a, b) in new[] { (yd, y1, yAll), (dxd, dx1, dxAll), (dwd, dw1, dwAll) })
            for (int i = 0; i < expected.Length; i++)
            {
                double tol = 1e-4 * (1 + Math.Abs(expected[i]));
                Assert.Equal(expected[i], a[i], tol);
                Assert.Equal(expected[i], b[i], tol);
            }
    }

    [Fact]
    public void Conv2d_gradient_accumulates_onto_an_existing_one()
    {
        // Two uses of the same weight: the second backward rule adds to the first's gradient, not overwrites it.
        var rng = new RandomState(8);
        var x = ConvolutionTests.Random(rng, 3, 2, 6, 6).RequireGrad();
        var w = ConvolutionTests.Random(rng, 4, 2, 3, 3).RequireGrad();
        var y1 = Tensor<double>.Conv2d(x, w);
        var y2 = Tensor<double>.Conv2d(x, w, padding: 1);
        var dy1 = ConvolutionTests.Random(rng, [.. y1.Shape]);
        var dy2 = ConvolutionTests.Random(rng, [.. y2.Shape]);
        ((y1 * dy1).Sum() + (y2 * dy2).Sum()).Backward();
        var (dxa, dwa, _) = DirectGradients(x, w, dy1, 1, 0, 1, 1);
        var (dxb, dwb, _) = DirectGradients(x, w, dy2, 1, 1, 1, 1);
        AssertClose([.. dxa.Zip(dxb, (a, b) => a + b)], x.Grad!.ToArray(), 1e-12);
        AssertClose([.. dwa.Zip(dwb, (a, b) => a + b)], w.Grad!.ToArray(), 1e-12);
    }

    [Theory]
    [InlineData(5, 7)]  // odd sizes: the last row and column belong to no window
    [InlineData(4, 6)]
    public void Max_pool_2x2_fast_path_matches_the_general_window_with_ties_and_NaN(int h, int w)
    {
        // Expected windows from the definition: the first maximum in row-major order wins, the first NaN wins outright.
        var rng = new RandomState(6);
        var values = rng.StandardNormal(2, 3, h, w);
        for (int i = 0; i < values.Length; i += 7) values[i] = Math.Round(values[i]); // ties among rounded values
        values[5] = double.NaN;
        values[values.Length - 3] = double.NaN;
        for (int i = 0; i < values.Length; i += 11) values[i] = values[Math.Max(i - 1, 0)]; // equal neighbours
        var x = new Tensor<double>(values, 2, 3, h, w).RequireGrad();
        var (y, indices) = x.MaxPool2dWithIndices(2);
        int oh = h / 2, ow = w / 2;
        var dy = ConvolutionTests.Random(rng, 2, 3, oh, ow);
        y.Backward(dy);
        var dx = new double[values.Length];
        for (int p = 0; p < 6; p++)
            for (int a = 0; a < oh; a++)
                for (int b = 0; b < ow; b++)
                {
                    int arg = WindowChoice(i => values[p * h * w + i], w, a, b);
                    int o = (p * oh + a) * ow + b;
                    Assert.Equal(arg, indices[o]);
                    Assert.Equal(values[p * h * w + arg], y.ToArray()[o]);
                    dx[p * h * w + arg] += dy.ToArray()[o];
                }
        AssertClose(dx, x.Grad!.ToArray(), 0);
    }

    /// <summary>
    /// The element 2×2 window (a, b) of a plane <paramref name="w"/> wide chooses, as a flat index r·w + q: the first
    /// maximum in row-major window order, the first NaN outright.
    /// </summary>
    internal static int WindowChoice(Func<int, double> value, int w, int a, int b)
    {
        int arg = -1;
        foreach (var (r, q) in new[] { (2 * a, 2 * b), (2 * a, 2 * b + 1), (2 * a + 1, 2 * b), (2 * a + 1, 2 * b + 1) })
        {
            double v = value(r * w + q);
            if (arg >= 0 && double.IsNaN(value(arg))) break;
            if (arg < 0 || v > value(arg) || double.IsNaN(v)) arg = r * w + q;
        }
        return arg;
    }

    [Fact]
    public void Pooling_gradients_are_fresh_each_time_from_the_buffer_pool()
    {
        // The gradient arrays come from the pool with unspecified contents (NaN here, with Poison): they must be cleared
        // before the scatter. The pooling ops sit behind a product, so their gradients are released and reused.
        var x = ConvolutionTests.Random(new RandomState(2), 2, 4, 16, 16);
        var dy = Tensor<double>.Ones(2, 4, 8, 8);
        BufferPool<double>.Poison = true;
        try
        {
            double[]? first = null;
            for (int round = 0; round < 3; round++)
            {
                var xr = x.Detach().RequireGrad();
                var h = xr * 2.0;
                (h.MaxPool2d(2) + h.AvgPool2d(2)).Backward(dy);
                var g = xr.Grad!.ToArray();
                first ??= g;
                Assert.Equal(first, g);
                Assert.Equal(2 * (2 * 4 * 8 * 8 * 2.0), g.Sum(), 1e-9);
            }
        }
        finally { BufferPool<double>.Poison = false; }
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], tolerance);
    }
}
