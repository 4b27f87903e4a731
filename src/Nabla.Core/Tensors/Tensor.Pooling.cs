using System.Numerics;
using Nabla.Kernels;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// 2-d max pooling of x [N, C, H, W] over <paramref name="kernelSize"/>² windows moved by <paramref name="stride"/>
    /// (default: the kernel size), with implicit −∞ padding, as PyTorch's <c>max_pool2d</c>. Backward routes each output's
    /// gradient to the input element that was the maximum (the first one on ties).
    /// </summary>
    public Tensor<T> MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1) =>
        MaxPool2dWithIndices(kernelSize, stride, padding, dilation).Output;

    /// <summary>
    /// <see cref="MaxPool2d"/> that also returns, per output element, the flat index (h·W + w) of the chosen input
    /// element within its plane, as PyTorch's <c>return_indices=True</c>.
    /// </summary>
    public (Tensor<T> Output, int[] Indices) MaxPool2dWithIndices(int kernelSize, int? stride = null, int padding = 0, int dilation = 1)
    {
        var g = PoolGeometry("max_pool2d", kernelSize, stride, padding, dilation);
        var (xs, xo) = Elements(this);
        int planes = g.N * g.C, hw = g.H * g.W, l = g.L;
        var y = GC.AllocateUninitializedArray<T>(planes * l);
        var indices = new int[planes * l];
        ForRanges(planes, (lo, hi) =>
        {
            for (int p = lo; p < hi; p++)
            {
                var plane = xs.AsSpan(xo + p * hw, hw);
                if (g is { KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0, DH: 1, DW: 1 })
                    MaxPlane2x2(g, plane, y.AsSpan(p * l, l), indices.AsSpan(p * l, l));
                else MaxPlane(g, plane, y.AsSpan(p * l, l), indices.AsSpan(p * l, l));
            }
        });
        var result = new Tensor<T>(y, [g.N, g.C, g.OH, g.OW]);
        if (!Recording(this)) return (result, indices);
        var x = this;
        return (Record(result, "max_pool2d", [this], saved: [], (dy, sink) =>
        {
            var (dys, dyo) = Elements(dy);
            var dx = BufferPool<T>.RentTensor(x.ShapeArray);
            var dxs = dx.Storage;
            ForRanges(planes, (lo, hi) =>
            {
                dxs.AsSpan(lo * hw, (hi - lo) * hw).Clear();
                for (int p = lo; p < hi; p++)
                    for (int q = p * l; q < (p + 1) * l; q++) dxs[p * hw + indices[q]] += dys[dyo + q];
            });
            sink.Add(0, dx, owned: true);
        }, ts =>
        {
            // The tangent of each maximum is the tangent of the element chosen.
            var flat = new int[indices.Length];
            for (int p = 0, o = 0; p < planes; p++)
                for (int q = 0; q < l; q++, o++) flat[o] = p * hw + indices[o];
            return Functional.Tangents.TakeFlat(ts[0]!, flat, result.ShapeArray);
        }), indices);
    }

    /// <summary>
    /// One plane's window maxima and their flat indices; the first maximum wins ties and the first NaN wins outright
    /// (as PyTorch), and padding never wins.
    /// </summary>
    private static void MaxPlane(ConvGeometry g, ReadOnlySpan<T> plane, Span<T> y, Span<int> indices)
    {
        for (int oy = 0, q = 0; oy < g.OH; oy++)
            for (int ox = 0; ox < g.OW; ox++, q++)
            {
                T best = T.NegativeInfinity;
                int arg = -1;
                for (int i = 0; i < g.KH; i++)
                {
                    int ih = oy * g.SH - g.PH + i * g.DH;
                    if ((uint)ih >= (uint)g.H) continue;
                    for (int j = 0; j < g.KW; j++)
                    {
                        int iw = ox * g.SW - g.PW + j * g.DW;
                        if ((uint)iw >= (uint)g.W) continue;
                        T v = plane[ih * g.W + iw];
                        if (arg >= 0 && !(v > best) && !T.IsNaN(v)) continue;
                        (best, arg) = (v, ih * g.W + iw);
                        if (T.IsNaN(v)) { i = g.KH; break; }
                    }
                }
                y[q] = best;
                indices[q] = arg;
            }
    }

    /// <summary><see cref="MaxPlane"/> for the common 2×2 window with stride 2 and no padding: four reads per output.</summary>
    private static void MaxPlane2x2(ConvGeometry g, ReadOnlySpan<T> plane, Span<T> y, Span<int> indices)
    {
        int w = g.W, ow = g.OW;
        for (int oy = 0; oy < g.OH; oy++)
        {
            var r0 = plane.Slice(2 * oy * w, w);
            var r1 = plane.Slice((2 * oy + 1) * w, w);
            var yr = y.Slice(oy * ow, ow);
            var ir = indices.Slice(oy * ow, ow);
            for (int ox = 0; ox < ow; ox++)
            {
                int c = 2 * ox;
                T best = r0[c];
                int arg = 2 * oy * w + c;
                if (!T.IsNaN(best))
                {
                    if (r0[c + 1] > best || T.IsNaN(r0[c + 1])) (best, arg) = (r0[c + 1], arg + 1);
                    if (!T.IsNaN(best) && (r1[c] > best || T.IsNaN(r1[c]))) (best, arg) = (r1[c], (2 * oy + 1) * w + c);
                    if (!T.IsNaN(best) && (r1[c + 1] > best || T.IsNaN(r1[c + 1]))) (best, arg) = (r1[c + 1], (2 * oy + 1) * w + c + 1);
                }
                yr[ox] = best;
                ir[ox] = arg;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(lo, hi) over ranges covering 0 … <paramref name="count"/> − 1 (planes, channels),
    /// spread over the cores; a few ranges per core, so a core slowed by other work takes fewer.
    /// </summary>
    private static void ForRanges(int count, Action<int, int> body)
    {
        int parts = Math.Min(count, 4 * Math.Max(1, Gemm.MaxThreads));
        GemmWorkers.Run(parts, Gemm.MaxThreads, p => body(p * count / parts, (p + 1) * count / parts));
    }

    /// <summary>
    /// 2-d average pooling of x [N, C, H, W] over <paramref name="kernelSize"/>² windows moved by <paramref name="stride"/>
    /// (default: the kernel size) with zero padding, as PyTorch's <c>avg_pool2d</c>: the divisor is the window size, or,
    /// with <paramref name="countIncludePad"/> false, the number of window elements inside the input. Backward spreads each
    /// output's gradient evenly (by the same divisor) over its window.
    /// </summary>
    public Tensor<T> AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true)
    {
        var g = PoolGeometry("avg_pool2d", kernelSize, stride, padding, 1);
        var (xs, xo) = Elements(this);
        int planes = g.N * g.C, hw = g.H * g.W, l = g.L;
        // The divisor depends only on the output position, so one plane's worth serves every plane.
        var scale = new T[l];
        for (int oy = 0; oy < g.OH; oy++)
            for (int ox = 0; ox < g.OW; ox++)
            {
                int h0 = oy * g.SH - g.PH, w0 = ox * g.SW - g.PW;
                int count = countIncludePad ? g.KH * g.KW
                    : (Math.Min(h0 + g.KH, g.H) - Math.Max(h0, 0)) * (Math.Min(w0 + g.KW, g.W) - Math.Max(w0, 0));
                scale[oy * g.OW + ox] = T.One / T.CreateChecked(count);
            }
        var y = GC.AllocateUninitializedArray<T>(planes * l);
        ForRanges(planes, (lo, hi) =>
        {
            for (int p = lo; p < hi; p++) SweepAverage(g, xs.AsSpan(xo + p * hw, hw), y.AsSpan(p * l, l), scale, forward: true);
        });
        var result = new Tensor<T>(y, [g.N, g.C, g.OH, g.OW]);
        if (!Recording(this)) return result;
        var shape = ShapeArray;
        return Record(result, "avg_pool2d", [this], saved: [], (dy, sink) =>
        {
            var (dys, dyo) = Elements(dy);
            var dx = BufferPool<T>.RentTensor(shape);
            var dxs = dx.Storage;
            ForRanges(planes, (lo, hi) =>
            {
                dxs.AsSpan(lo * hw, (hi - lo) * hw).Clear();
                for (int p = lo; p < hi; p++) SweepAverage(g, dxs.AsSpan(p * hw, hw), dys.AsSpan(dyo + p * l, l), scale, forward: false);
            });
            sink.Add(0, dx, owned: true);
        }, ts => ts[0]!.AvgPool2d(kernelSize, stride, padding, countIncludePad));
    }

    /// <summary>Forward: out[q] = scale[q]·Σ window(q) of plane. Backward (its adjoint): plane[window(q)] += scale[q]·out[q].</summary>
    private static void SweepAverage(ConvGeometry g, Span<T> plane, Span<T> output, T[] scale, bool forward)
    {
        for (int oy = 0; oy < g.OH; oy++)
            for (int ox = 0; ox < g.OW; ox++)
            {
                int q = oy * g.OW + ox;
                int h0 = Math.Max(oy * g.SH - g.PH, 0), h1 = Math.Min(oy * g.SH - g.PH + g.KH, g.H);
                int w0 = Math.Max(ox * g.SW - g.PW, 0), w1 = Math.Min(ox * g.SW - g.PW + g.KW, g.W);
                if (forward)
                {
                    T sum = T.Zero;
                    for (int h = h0; h < h1; h++)
                        for (int w = w0; w < w1; w++) sum += plane[h * g.W + w];
                    output[q] = sum * scale[q];
                }
                else
                {
                    T share = output[q] * scale[q];
                    for (int h = h0; h < h1; h++)
                        for (int w = w0; w < w1; w++) plane[h * g.W + w] += share;
                }
            }
    }

    private ConvGeometry PoolGeometry(string op, int kernelSize, int? stride, int padding, int dilation)
    {
        var g = ConvGeometry.Create(op, ShapeArray, kernelSize, kernelSize, stride ?? kernelSize, padding, dilation);
        if (2 * padding > kernelSize)
            throw new NablaException($"{op}: padding {padding} must be at most half the kernel size {kernelSize}");
        return g;
    }
}
