using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;
using Nabla.Ops;

namespace Nabla.Tensors;

/// <summary>
/// One 2-d convolution as matrix products over chunks of samples: the S samples of a chunk are unfolded side by side
/// into X̂ [C·KH·KW, S·L] (a scratch buffer of about <see cref="ChunkElements"/> elements, so it stays in cache) and,
/// per group, Y = W·X̂, dW += dY·X̂ᵀ, dX̂ = Wᵀ·dY, with Y and dY held channel-major [C_out, S·L] in scratch and moved
/// to and from the NCHW tensors a sample at a time. A few samples per product instead of one make the products wider
/// (the channel counts of small networks are tiny, so one sample's product is mostly edge) and the calls fewer. With at
/// least as many samples as cores, the samples are spread over the cores and each product runs on one; otherwise the
/// samples run in turn and each product uses every core. A 1×1 kernel with stride 1 and no padding skips the
/// unfolding, one sample at a time: X̂ is the sample itself. Scratch comes from <see cref="ArrayPool{T}.Shared"/> and
/// goes back, so a training loop allocates none in steady state.
/// </summary>
internal sealed class ConvPlan
{
    private readonly ConvGeometry g;
    private readonly int cout, groups;

    /// <summary>
    /// The plan for <paramref name="cout"/> output channels in <paramref name="groups"/> groups; refuses (before any
    /// allocation) an output or a sample's unfolded matrix of more than <see cref="Limits.MaxTensorElements"/> elements.
    /// </summary>
    public ConvPlan(ConvGeometry g, int cout, int groups)
    {
        (this.g, this.cout, this.groups) = (g, cout, groups);
        long plane = Limits.Product(g.OH, g.OW);
        Limits.Check($"conv2d: the output [{g.N}, {cout}, {g.OH}, {g.OW}] in elements", Limits.Product(g.N, cout, plane), Limits.MaxTensorElements);
        if (!g.IsPointwise)
            Limits.Check($"conv2d: one sample's unfolded input [{g.C}·{g.KH}·{g.KW}, {g.OH}·{g.OW}] in elements",
                Limits.Product(g.C, g.KH, g.KW, plane), Limits.MaxTensorElements);
        cog = cout / groups;
        kg = g.C / groups * g.KH * g.KW;
    }

    /// <summary>About how many elements one chunk's unfolded matrix may hold (256 KB of float).</summary>
    internal const int ChunkElements = 1 << 16;

    /// <summary>Output channels per group.</summary>
    private readonly int cog;

    /// <summary>Rows of a group's block of X̂ (its input channels times the kernel taps), the inner size of its products.</summary>
    private readonly int kg;

    /// <summary>Rows of X̂.</summary>
    private int K => kg * groups;

    /// <summary>Elements of one input sample.</summary>
    private int Chw => g.C * g.H * g.W;

    /// <summary>
    /// How many workers share the batch, and how many each product may use: the batch split over the cores when it has
    /// at least two samples, else a single part whose products use every core.
    /// </summary>
    private (int Parts, int Inner) Split()
    {
        int threads = Math.Max(1, Math.Min(Gemm.MaxThreads, GemmWorkers.Threads));
        int parts = Math.Min(g.N, threads);
        return parts > 1 ? (parts, 1) : (1, threads);
    }

    /// <summary>Samples per chunk for a part of <paramref name="samples"/> samples: as many as fit <see cref="ChunkElements"/>, at least 1.</summary>
    private int Chunk(int samples) =>
        g.IsPointwise ? 1 : Math.Clamp(ChunkElements / Math.Max(1, K * g.L), 1, Math.Max(1, samples));

    /// <summary>
    /// y [N, C_out, L] = conv(x) + bias, then <typeparamref name="TOp"/> when <paramref name="activated"/>; x, w and the
    /// bias (null for none) are contiguous from their offsets.
    /// </summary>
    public void Forward<T, TOp>(T[] xs, int xo, T[] ws, int wo, T[]? bs, int bo, T[] y, bool activated)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOp<TOp>
    {
        int n = g.N, chw = Chw, l = g.L, k = K, plane = cout * l;
        if (n == 0) return;
        var (parts, inner) = Split();
        GemmWorkers.Run(parts, parts, p =>
        {
            int lo = p * n / parts, hi = (p + 1) * n / parts, s = Chunk(hi - lo);
            var cols = g.IsPointwise ? null : ArrayPool<T>.Shared.Rent(k * s * l);
            var ys = s > 1 ? ArrayPool<T>.Shared.Rent(cout * s * l) : null;
            try
            {
                for (int n0 = lo; n0 < hi; n0 += s)
                {
                    int m = Math.Min(s, hi - n0), ld = m * l;
                    ReadOnlySpan<T> xhat = cols is null ? xs.AsSpan(xo + n0 * chw, chw) : cols.AsSpan(0, k * ld);
                    for (int j = 0; j < m && cols is not null; j++) g.Im2Col<T>(xs.AsSpan(xo + (n0 + j) * chw, chw), cols.AsSpan(j * l), ld);
                    // One sample writes its NCHW block directly; a chunk writes channel-major and is moved below.
                    var target = m == 1 ? y.AsSpan(n0 * plane, plane) : ys.AsSpan(0, cout * ld);
                    for (int gi = 0; gi < groups; gi++)
                        Gemm.MultiplyOnThreads<T>(false, false, cog, ld, kg, ws.AsSpan(wo + gi * cog * kg, cog * kg), kg,
                            xhat.Slice(gi * kg * ld), ld, target.Slice(gi * cog * ld), ld, false, inner);
                    for (int j = 0; j < m; j++)
                    {
                        var yi = y.AsSpan((n0 + j) * plane, plane);
                        if (m > 1)
                            for (int c = 0; c < cout; c++) ys.AsSpan(c * ld + j * l, l).CopyTo(yi.Slice(c * l, l));
                        if (bs is not null)
                            for (int c = 0; c < cout; c++)
                            {
                                var row = yi.Slice(c * l, l);
                                TensorPrimitives.Add(row, bs[bo + c], row);
                            }
                        if (activated) TOp.Apply<T>(yi, yi);
                    }
                }
            }
            finally
            {
                if (cols is not null) ArrayPool<T>.Shared.Return(cols);
                if (ys is not null) ArrayPool<T>.Shared.Return(ys);
            }
        });
    }

    /// <summary>
    /// The gradients from dy [N, C_out, L]: dx (overwritten; null when not needed), dw and db added to (empty when not
    /// needed). With the activated output <paramref name="y"/> (null for none), dy first becomes f′(y)·dy, a sample at a
    /// time while it is moved into the chunk's channel-major scratch. Each worker sums its samples' dw and db into its
    /// own partial, added up at the end in a fixed order.
    /// </summary>
    public void Backward<T, TOp>(T[] xs, int xo, T[] ws, int wo, T[] dys, int dyo, T[]? y, T[]? dx, Span<T> dw, Span<T> db)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOp<TOp>
    {
        int n = g.N, chw = Chw, l = g.L, k = K, wsize = cout * kg, plane = cout * l;
        if (n == 0) return;
        bool needW = !dw.IsEmpty && wsize > 0, needB = !db.IsEmpty, pointwise = g.IsPointwise;
        var (parts, inner) = Split();
        var pw = needW ? ArrayPool<T>.Shared.Rent(parts * wsize) : null;
        var pb = needB ? ArrayPool<T>.Shared.Rent(parts * cout) : null;
        try
        {
            GemmWorkers.Run(parts, parts, p =>
            {
                int lo = p * n / parts, hi = (p + 1) * n / parts, s = Chunk(hi - lo);
                var cols = pw is not null && !pointwise ? ArrayPool<T>.Shared.Rent(k * s * l) : null;
                var dcols = dx is not null && !pointwise ? ArrayPool<T>.Shared.Rent(k * s * l) : null;
                var dz = y is not null || s > 1 ? ArrayPool<T>.Shared.Rent(cout * s * l) : null;
                try
                {
                    pb?.AsSpan(p * cout, cout).Clear();
                    for (int n0 = lo; n0 < hi; n0 += s)
                    {
                        int m = Math.Min(s, hi - n0), ld = m * l;
                        // dY of the chunk, channel-major [C_out, m·L] (one sample: its NCHW block as it is).
                        ReadOnlySpan<T> dyc = dys.AsSpan(dyo + n0 * plane, plane);
                        if (dz is not null)
                        {
                            var dzc = dz.AsSpan(0, cout * ld);
                            for (int j = 0; j < m; j++)
                            {
                                var dyi = dys.AsSpan(dyo + (n0 + j) * plane, plane);
                                var yi = y is null ? default : y.AsSpan((n0 + j) * plane, plane);
                                for (int c = 0; c < cout; c++)
                                {
                                    var row = dzc.Slice(c * ld + j * l, l);
                                    if (y is null) dyi.Slice(c * l, l).CopyTo(row);
                                    else
                                    {
                                        row.Clear();
                                        TOp.Backward<T>(yi.Slice(c * l, l), yi.Slice(c * l, l), dyi.Slice(c * l, l), row);
                                    }
                                }
                            }
                            dyc = dzc;
                        }
                        if (pb is not null)
                            for (int c = 0; c < cout; c++) pb[p * cout + c] += TensorPrimitives.Sum<T>(dyc.Slice(c * ld, ld));
                        if (pw is not null)
                        {
                            ReadOnlySpan<T> xhat = cols is null ? xs.AsSpan(xo + n0 * chw, chw) : cols.AsSpan(0, k * ld);
                            for (int j = 0; j < m && cols is not null; j++) g.Im2Col<T>(xs.AsSpan(xo + (n0 + j) * chw, chw), cols.AsSpan(j * l), ld);
                            var part = pw.AsSpan(p * wsize, wsize);
                            for (int gi = 0; gi < groups; gi++)
                                Gemm.MultiplyOnThreads<T>(false, true, cog, kg, ld, dyc.Slice(gi * cog * ld), ld, xhat.Slice(gi * kg * ld), ld,
                                    part.Slice(gi * cog * kg), kg, accumulate: n0 > lo, inner);
                        }
                        if (dx is null) continue;
                        var dxc = dx.AsSpan(n0 * chw, m * chw);
                        Span<T> target = dcols is null ? dxc : dcols.AsSpan(0, k * ld);
                        for (int gi = 0; gi < groups; gi++)
                            Gemm.MultiplyOnThreads<T>(true, false, kg, ld, cog, ws.AsSpan(wo + gi * cog * kg, cog * kg), kg,
                                dyc.Slice(gi * cog * ld), ld, target.Slice(gi * kg * ld), ld, false, inner);
                        if (dcols is null) continue;
                        dxc.Clear();
                        for (int j = 0; j < m; j++) g.Col2Im<T>(dcols.AsSpan(j * l), dxc.Slice(j * chw, chw), ld);
                    }
                }
                finally
                {
                    if (cols is not null) ArrayPool<T>.Shared.Return(cols);
                    if (dcols is not null) ArrayPool<T>.Shared.Return(dcols);
                    if (dz is not null) ArrayPool<T>.Shared.Return(dz);
                }
            });
            for (int p = 0; p < parts; p++)
            {
                if (pw is not null) TensorPrimitives.Add(dw, pw.AsSpan(p * wsize, wsize), dw);
                if (pb is not null) TensorPrimitives.Add(db, pb.AsSpan(p * cout, cout), db);
            }
        }
        finally
        {
            if (pw is not null) ArrayPool<T>.Shared.Return(pw);
            if (pb is not null) ArrayPool<T>.Shared.Return(pb);
        }
    }
}
