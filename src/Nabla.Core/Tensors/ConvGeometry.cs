using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Tensors;

/// <summary>
/// The sizes of one 2-d convolution or pooling window sweep over NCHW input: batch, channels, input and output
/// planes, kernel, stride, padding and dilation. Output size per axis is ⌊(in + 2·pad − dil·(k − 1) − 1)/stride⌋ + 1,
/// as in PyTorch.
/// </summary>
internal readonly record struct ConvGeometry(int N, int C, int H, int W, int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW)
{
    public int OH => (H + 2 * PH - DH * (KH - 1) - 1) / SH + 1;
    public int OW => (W + 2 * PW - DW * (KW - 1) - 1) / SW + 1;

    /// <summary>Output positions per plane.</summary>
    public int L => OH * OW;

    /// <summary>
    /// Checks the settings and that the window fits: throws naming the op, the input shape and the setting at fault.
    /// </summary>
    public static ConvGeometry Create(string op, int[] xShape, int kh, int kw, int stride, int padding, int dilation)
    {
        if (xShape.Length != 4)
            throw new NablaException($"{op} needs input of shape [N, C, H, W], got shape {Shapes.Format(xShape)}");
        if (stride < 1) throw new NablaException($"{op}: stride must be at least 1, got {stride}");
        if (padding < 0) throw new NablaException($"{op}: padding must be non-negative, got {padding}");
        if (dilation < 1) throw new NablaException($"{op}: dilation must be at least 1, got {dilation}");
        if (kh < 1 || kw < 1) throw new NablaException($"{op}: kernel size must be at least 1, got {kh}x{kw}");
        // In 64-bit arithmetic: padding or dilation near int.MaxValue must be refused, not wrap to a small plane.
        long oh = Limits.WindowOutput(xShape[2], kh, stride, padding, dilation), ow = Limits.WindowOutput(xShape[3], kw, stride, padding, dilation);
        if (oh < 1 || ow < 1)
            throw new NablaException($"{op}: a {kh}x{kw} window (dilation {dilation}) does not fit the input plane {xShape[2]}x{xShape[3]} with padding {padding} (input shape {Shapes.Format(xShape)})");
        // The padded plane and the window's span are held as int below.
        long padded = Math.Max(xShape[2], xShape[3]) + 2L * padding, span = (long)dilation * (Math.Max(kh, kw) - 1) + 1;
        if (padded > int.MaxValue)
            throw new NablaException($"{op}: padding {padding} makes the input plane {xShape[2]}x{xShape[3]} padded to {padded:N0} per axis; the limit is {int.MaxValue:N0}");
        if (span > int.MaxValue)
            throw new NablaException($"{op}: dilation {dilation} makes a {kh}x{kw} window span {span:N0} positions per axis; the limit is {int.MaxValue:N0}");
        Limits.Check($"{op}: the output of input {Shapes.Format(xShape)} (planes of {oh:N0}x{ow:N0}, kernel {kh}x{kw}, stride {stride}, padding {padding}, dilation {dilation}) in elements",
            Limits.Product(xShape[0], xShape[1], oh, ow), Limits.MaxTensorElements);
        var g = new ConvGeometry(xShape[0], xShape[1], xShape[2], xShape[3], kh, kw, stride, stride, padding, padding, dilation, dilation);
        return g;
    }

    /// <summary>Stride 1, no padding, no dilation: every window lies inside the plane and each unfolded run is contiguous.</summary>
    private bool IsDense => SH == 1 && SW == 1 && PH == 0 && PW == 0 && DH == 1 && DW == 1;

    /// <summary>True when the unfolded matrix of a sample is the sample itself: a 1×1 kernel, stride 1, no padding.</summary>
    public bool IsPointwise => KH == 1 && KW == 1 && SH == 1 && SW == 1 && PH == 0 && PW == 0;

    /// <summary>
    /// Unfolds one sample <paramref name="x"/> [C, H, W] into <paramref name="cols"/>, the matrix [C·KH·KW, L] (rows
    /// <paramref name="ld"/> apart, so several samples can sit side by side) whose row (c, i, j) and column (oh, ow) hold
    /// x[c, oh·SH − PH + i·DH, ow·SW − PW + j·DW] (0 outside the plane). The matrix is small (a few samples), so it stays
    /// in cache for the product that follows.
    /// </summary>
    public void Im2Col<T>(ReadOnlySpan<T> x, Span<T> cols, int ld) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int l = L, oh = OH, ow = OW, hw = H * W;
        if (IsDense)
        {
            // Every window inside the plane: row (c, i, j) is OH runs of OW elements, run y starting at x[c, y + i, j].
            for (int c = 0, r = 0; c < C; c++)
                for (int i = 0; i < KH; i++)
                    for (int j = 0; j < KW; j++, r++)
                    {
                        var src = x.Slice(c * hw + i * W + j);
                        var row = cols.Slice(r * ld, l);
                        for (int y = 0; y < oh; y++) Runs.Copy(src.Slice(y * W, ow), row.Slice(y * ow, ow));
                    }
            return;
        }
        for (int c = 0; c < C; c++)
        {
            var plane = x.Slice(c * hw, hw);
            for (int i = 0; i < KH; i++)
                for (int j = 0; j < KW; j++)
                {
                    var row = cols.Slice(((c * KH + i) * KW + j) * ld, l);
                    var (x0, x1, iw0) = Columns(j);
                    for (int y = 0; y < oh; y++)
                    {
                        int ih = y * SH - PH + i * DH;
                        var dst = row.Slice(y * ow, ow);
                        if ((uint)ih >= (uint)H) { dst.Clear(); continue; }
                        dst[..x0].Clear();
                        dst[x1..].Clear();
                        // No column of this kernel tap reads inside the plane (a kernel wider than the padded input's
                        // middle): iw0 + x0 may then lie outside the row, so nothing is sliced from it.
                        if (x1 == x0) continue;
                        var src = plane.Slice(ih * W, W);
                        if (SW == 1) src.Slice(iw0 + x0, x1 - x0).CopyTo(dst[x0..x1]);
                        else for (int xo = x0; xo < x1; xo++) dst[xo] = src[iw0 + xo * SW];
                    }
                }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Im2Col"/>: adds every entry of <paramref name="cols"/> [C·KH·KW, L] (rows
    /// <paramref name="ld"/> apart) back onto the sample <paramref name="dx"/> [C, H, W] at the position it was read from.
    /// </summary>
    public void Col2Im<T>(ReadOnlySpan<T> cols, Span<T> dx, int ld) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int l = L, oh = OH, ow = OW, hw = H * W;
        if (IsDense)
        {
            for (int c = 0, r = 0; c < C; c++)
                for (int i = 0; i < KH; i++)
                    for (int j = 0; j < KW; j++, r++)
                    {
                        var dst = dx.Slice(c * hw + i * W + j);
                        var row = cols.Slice(r * ld, l);
                        for (int y = 0; y < oh; y++) Runs.Add(row.Slice(y * ow, ow), dst.Slice(y * W, ow));
                    }
            return;
        }
        for (int c = 0; c < C; c++)
        {
            var plane = dx.Slice(c * hw, hw);
            for (int i = 0; i < KH; i++)
                for (int j = 0; j < KW; j++)
                {
                    var row = cols.Slice(((c * KH + i) * KW + j) * ld, l);
                    var (x0, x1, iw0) = Columns(j);
                    if (x1 == x0) continue;
                    for (int y = 0; y < oh; y++)
                    {
                        int ih = y * SH - PH + i * DH;
                        if ((uint)ih >= (uint)H) continue;
                        var src = row.Slice(y * ow, ow);
                        var dst = plane.Slice(ih * W, W);
                        if (SW == 1)
                        {
                            var d = dst.Slice(iw0 + x0, x1 - x0);
                            TensorPrimitives.Add(d, src[x0..x1], d);
                        }
                        else for (int xo = x0; xo < x1; xo++) dst[iw0 + xo * SW] += src[xo];
                    }
                }
        }
    }

    /// <summary>
    /// For kernel column <paramref name="j"/>: the output columns [X0, X1) whose input column IW0 + ow·SW lies inside the
    /// plane (the others read padding).
    /// </summary>
    private (int X0, int X1, int IW0) Columns(int j)
    {
        // In 64-bit arithmetic: −iw0 + SW − 1 passes int.MaxValue when both padding and stride are large.
        long iw0 = (long)j * DW - PW, ow = OW;
        long x0 = Math.Min(iw0 >= 0 ? 0 : (-iw0 + SW - 1) / SW, ow);
        long x1 = iw0 > W - 1 ? 0 : Math.Min(ow, (W - 1 - iw0) / SW + 1);
        return ((int)x0, (int)Math.Max(x0, x1), (int)iw0);
    }
}
