using System.Numerics;

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
        var g = new ConvGeometry(xShape[0], xShape[1], xShape[2], xShape[3], kh, kw, stride, stride, padding, padding, dilation, dilation);
        if (g.H + 2 * padding < dilation * (kh - 1) + 1 || g.W + 2 * padding < dilation * (kw - 1) + 1)
            throw new NablaException($"{op}: a {kh}x{kw} window (dilation {dilation}) does not fit the input plane {g.H}x{g.W} with padding {padding} (input shape {Shapes.Format(xShape)})");
        return g;
    }

    /// <summary>
    /// Unfolds sample <paramref name="n"/> of x (contiguous NCHW) into its columns of <paramref name="cols"/>: the matrix
    /// [C·KH·KW, N·L] whose row (c, i, j) and column (n, oh, ow) hold x[n, c, oh·SH − PH + i·DH, ow·SW − PW + j·DW]
    /// (0 outside the plane).
    /// </summary>
    public void Im2Col<T>(ReadOnlySpan<T> x, Span<T> cols, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ld = N * L, oh = OH, ow = OW;
        for (int c = 0; c < C; c++)
        {
            var plane = x.Slice((n * C + c) * H * W, H * W);
            for (int i = 0; i < KH; i++)
                for (int j = 0; j < KW; j++)
                {
                    var row = cols.Slice(((c * KH + i) * KW + j) * ld + n * L, L);
                    for (int y = 0; y < oh; y++)
                    {
                        int ih = y * SH - PH + i * DH;
                        var dst = row.Slice(y * ow, ow);
                        if ((uint)ih >= (uint)H) { dst.Clear(); continue; }
                        var src = plane.Slice(ih * W, W);
                        int iw0 = -PW + j * DW;
                        if (SW == 1 && iw0 >= 0 && iw0 + ow <= W) { src.Slice(iw0, ow).CopyTo(dst); continue; }
                        for (int xo = 0, iw = iw0; xo < ow; xo++, iw += SW)
                            dst[xo] = (uint)iw < (uint)W ? src[iw] : T.Zero;
                    }
                }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/> for sample <paramref name="n"/>: adds every column entry back onto dx.</summary>
    public void Col2Im<T>(ReadOnlySpan<T> cols, Span<T> dx, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ld = N * L, oh = OH, ow = OW;
        for (int c = 0; c < C; c++)
        {
            var plane = dx.Slice((n * C + c) * H * W, H * W);
            for (int i = 0; i < KH; i++)
                for (int j = 0; j < KW; j++)
                {
                    var row = cols.Slice(((c * KH + i) * KW + j) * ld + n * L, L);
                    for (int y = 0; y < oh; y++)
                    {
                        int ih = y * SH - PH + i * DH;
                        if ((uint)ih >= (uint)H) continue;
                        var src = row.Slice(y * ow, ow);
                        var dst = plane.Slice(ih * W, W);
                        for (int xo = 0, iw = -PW + j * DW; xo < ow; xo++, iw += SW)
                            if ((uint)iw < (uint)W) dst[iw] += src[xo];
                    }
                }
        }
    }
}
