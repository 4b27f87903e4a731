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
        MaxPoolCore(kernelSize, stride, padding, dilation, withIndices: false, null).Output;

    /// <summary>
    /// <see cref="MaxPool2d"/> with the output given <paramref name="shape"/> (the same elements in the same order, as a
    /// reshape would): Nabla.Training's pooling layers use it when a Flatten follows, so no view and no copy of the
    /// gradient back are needed.
    /// </summary>
    internal Tensor<T> MaxPool2dShaped(int kernelSize, int? stride, int padding, int[] shape) =>
        MaxPoolCore(kernelSize, stride, padding, 1, withIndices: false, shape).Output;

    /// <summary>
    /// <see cref="MaxPool2d"/> that also returns, per output element, the flat index (h·W + w) of the chosen input
    /// element within its plane, as PyTorch's <c>return_indices=True</c>.
    /// </summary>
    public (Tensor<T> Output, int[] Indices) MaxPool2dWithIndices(int kernelSize, int? stride = null, int padding = 0, int dilation = 1)
    {
        var (output, indices) = MaxPoolCore(kernelSize, stride, padding, dilation, withIndices: true, null);
        return (output, indices!);
    }

    /// <summary>
    /// The pooling itself. The output is rented (an op output, BufferPool rule 1); backward saves the input and finds
    /// each window's maximum again (MaxPoolKernels), so no index array is kept per step.
    /// </summary>
    private (Tensor<T> Output, int[]? Indices) MaxPoolCore(int kernelSize, int? stride, int padding, int dilation, bool withIndices, int[]? shape)
    {
        var g = PoolGeometry("max_pool2d", kernelSize, stride, padding, dilation);
        shape = OutputShape(g, shape);
        var (xs, xo) = Elements(this);
        int planes = g.N * g.C, hw = g.H * g.W, l = g.L;
        var y = BufferPool<T>.Rent(planes * l);
        var indices = withIndices ? new int[planes * l] : null;
        ForRanges(planes, (lo, hi) =>
        {
            for (int p = lo; p < hi; p++)
                MaxPoolKernels.Forward(g, xs.AsSpan(xo + p * hw, hw), y.AsSpan(p * l, l), indices is null ? default : indices.AsSpan(p * l, l));
        });
        var result = new Tensor<T>(y, shape);
        if (!Recording(this)) return (result, indices);
        var x = this;
        return (Record(result, "max_pool2d", [this], saved: [this], (dy, sink) =>
        {
            var (dys, dyo) = Elements(dy);
            var dx = BufferPool<T>.RentTensor(x.ShapeArray);
            var dxs = dx.Storage;
            ForRanges(planes, (lo, hi) =>
            {
                for (int p = lo; p < hi; p++)
                    MaxPoolKernels.Backward(g, xs.AsSpan(xo + p * hw, hw), dys.AsSpan(dyo + p * l, l), dxs.AsSpan(p * hw, hw));
            });
            sink.Add(0, dx, owned: true);
        }, ts =>
        {
            // The tangent of each maximum is the tangent of the element chosen.
            var flat = new int[planes * l];
            var values = new T[l];
            for (int p = 0; p < planes; p++)
            {
                var part = flat.AsSpan(p * l, l);
                MaxPoolKernels.Forward(g, xs.AsSpan(xo + p * hw, hw), values, part);
                for (int q = 0; q < l; q++) part[q] += p * hw;
            }
            return Tangents.TakeFlat(ts[0]!, flat, result.ShapeArray);
        }), indices);
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
    public Tensor<T> AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true) =>
        AvgPool2dShaped(kernelSize, stride, padding, countIncludePad, null);

    /// <summary><see cref="AvgPool2d"/> with the output given <paramref name="shape"/> (null: [N, C, OH, OW]), as <see cref="MaxPool2dShaped"/>.</summary>
    internal Tensor<T> AvgPool2dShaped(int kernelSize, int? stride, int padding, bool countIncludePad, int[]? shape)
    {
        var g = PoolGeometry("avg_pool2d", kernelSize, stride, padding, 1);
        shape = OutputShape(g, shape);
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
        var y = BufferPool<T>.Rent(planes * l);
        ForRanges(planes, (lo, hi) =>
        {
            for (int p = lo; p < hi; p++) SweepAverage(g, xs.AsSpan(xo + p * hw, hw), y.AsSpan(p * l, l), scale, forward: true);
        });
        var result = new Tensor<T>(y, shape);
        if (!Recording(this)) return result;
        var xShape = ShapeArray;
        return Record(result, "avg_pool2d", [this], saved: [], (dy, sink) =>
        {
            var (dys, dyo) = Elements(dy);
            var dx = BufferPool<T>.RentTensor(xShape);
            var dxs = dx.Storage;
            ForRanges(planes, (lo, hi) =>
            {
                dxs.AsSpan(lo * hw, (hi - lo) * hw).Clear();
                for (int p = lo; p < hi; p++) SweepAverage(g, dxs.AsSpan(p * hw, hw), dys.AsSpan(dyo + p * l, l), scale, forward: false);
            });
            sink.Add(0, dx, owned: true);
        }, ts => ts[0]!.AvgPool2dShaped(kernelSize, stride, padding, countIncludePad, shape));
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

    /// <summary>[N, C, OH, OW], or <paramref name="shape"/> when given (it must hold as many elements).</summary>
    private static int[] OutputShape(ConvGeometry g, int[]? shape)
    {
        if (shape is null) return [g.N, g.C, g.OH, g.OW];
        if (Shapes.ElementCount(shape) != g.N * g.C * g.L)
            throw new InvalidOperationException($"pooling output of {g.N * g.C * g.L} elements cannot take shape {Shapes.Format(shape)}");
        return shape;
    }

    private ConvGeometry PoolGeometry(string op, int kernelSize, int? stride, int padding, int dilation)
    {
        var g = ConvGeometry.Create(op, ShapeArray, kernelSize, kernelSize, stride ?? kernelSize, padding, dilation);
        if (2 * padding > kernelSize)
            throw new NablaException($"{op}: padding {padding} must be at most half the kernel size {kernelSize}");
        return g;
    }
}
