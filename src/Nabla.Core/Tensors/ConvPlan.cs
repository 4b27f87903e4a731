using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;
using Nabla.Ops;

namespace Nabla.Tensors;

/// <summary>
/// One 2-d convolution as matrix products, sample by sample: sample n is unfolded into X̂ₙ [C·KH·KW, L] (in a scratch
/// buffer of one sample's size, so it stays in cache) and, per group, Yₙ = W·X̂ₙ, dW += dYₙ·X̂ₙᵀ, dX̂ₙ = Wᵀ·dYₙ. With at
/// least as many samples as cores, the samples are spread over the cores and each product runs on one; otherwise the
/// samples run in turn and each product uses every core. A 1×1 kernel with stride 1 and no padding skips the unfolding:
/// X̂ₙ is the sample itself. Scratch comes from <see cref="ArrayPool{T}.Shared"/> and goes back, so a training loop
/// allocates none in steady state.
/// </summary>
internal sealed class ConvPlan(ConvGeometry g, int cout, int groups)
{
    /// <summary>Output channels per group.</summary>
    private readonly int cog = cout / groups;

    /// <summary>Rows of a group's block of X̂ₙ (its input channels times the kernel taps), the inner size of its products.</summary>
    private readonly int kg = g.C / groups * g.KH * g.KW;

    /// <summary>Rows of X̂ₙ.</summary>
    private int K => kg * groups;

    /// <summary>Elements of one input sample.</summary>
    private int Chw => g.C * g.H * g.W;

    /// <summary>
    /// How many workers share the batch, and how many each product may use: one sample per worker when the batch has
    /// at least two samples, else a single part whose products use every core.
    /// </summary>
    private (int Parts, int Inner) Split()
    {
        int threads = Math.Max(1, Math.Min(Gemm.MaxThreads, GemmWorkers.Threads));
        int parts = Math.Min(g.N, threads);
        return parts > 1 ? (parts, 1) : (1, threads);
    }

    /// <summary>
    /// y [N, C_out, L] = conv(x) + bias, then <typeparamref name="TOp"/> when <paramref name="activated"/>; x, w and the
    /// bias (null for none) are contiguous from their offsets.
    /// </summary>
    public void Forward<T, TOp>(T[] xs, int xo, T[] ws, int wo, T[]? bs, int bo, T[] y, bool activated)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOp<TOp>
    {
        var (parts, inner) = Split();
        int chw = Chw, l = g.L, k = K;
        GemmWorkers.Run(g.N, parts, i =>
        {
            var x = xs.AsSpan(xo + i * chw, chw);
            var cols = g.IsPointwise ? null : ArrayPool<T>.Shared.Rent(k * l);
            try
            {
                ReadOnlySpan<T> xhat = cols is null ? x : cols.AsSpan(0, k * l);
                if (cols is not null) g.Im2Col<T>(x, cols);
                var yi = y.AsSpan(i * cout * l, cout * l);
                for (int gi = 0; gi < groups; gi++)
                    Gemm.MultiplyOnThreads<T>(false, false, cog, l, kg, ws.AsSpan(wo + gi * cog * kg, cog * kg), kg,
                        xhat.Slice(gi * kg * l), l, yi.Slice(gi * cog * l), l, false, inner);
                if (bs is not null)
                    for (int c = 0; c < cout; c++)
                    {
                        var row = yi.Slice(c * l, l);
                        TensorPrimitives.Add(row, bs[bo + c], row);
                    }
                if (activated) TOp.Apply<T>(yi, yi);
            }
            finally { if (cols is not null) ArrayPool<T>.Shared.Return(cols); }
        });
    }

    /// <summary>
    /// The gradients from dy [N, C_out, L]: dx (overwritten; null when not needed), dw and db added to (empty when not
    /// needed). With the activated output <paramref name="y"/> (null for none), each sample's dy first becomes
    /// f′(y)·dy in a per-worker scratch. Each worker sums its samples' dw and db into its own partial, added up at the
    /// end in a fixed order.
    /// </summary>
    public void Backward<T, TOp>(T[] xs, int xo, T[] ws, int wo, T[] dys, int dyo, T[]? y, T[]? dx, Span<T> dw, Span<T> db)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOp<TOp>
    {
        int n = g.N, chw = Chw, l = g.L, k = K, wsize = cout * kg;
        if (n == 0) return;
        bool needW = !dw.IsEmpty && wsize > 0, needB = !db.IsEmpty, pointwise = g.IsPointwise;
        var (parts, inner) = Split();
        var pw = needW ? ArrayPool<T>.Shared.Rent(parts * wsize) : null;
        var pb = needB ? ArrayPool<T>.Shared.Rent(parts * cout) : null;
        try
        {
            GemmWorkers.Run(parts, parts, p =>
            {
                int lo = p * n / parts, hi = (p + 1) * n / parts;
                var cols = needW && !pointwise ? ArrayPool<T>.Shared.Rent(k * l) : null;
                var dcols = dx is not null && !pointwise ? ArrayPool<T>.Shared.Rent(k * l) : null;
                var dz = y is not null ? ArrayPool<T>.Shared.Rent(cout * l) : null;
                try
                {
                    pb?.AsSpan(p * cout, cout).Clear();
                    for (int i = lo; i < hi; i++)
                    {
                        ReadOnlySpan<T> dyi = dys.AsSpan(dyo + i * cout * l, cout * l);
                        if (dz is not null)
                        {
                            var dzi = dz.AsSpan(0, cout * l);
                            var yi = y.AsSpan(i * cout * l, cout * l);
                            dzi.Clear();
                            TOp.Backward<T>(yi, yi, dyi, dzi);
                            dyi = dzi;
                        }
                        if (pw is not null)
                        {
                            var x = xs.AsSpan(xo + i * chw, chw);
                            ReadOnlySpan<T> xhat = cols is null ? x : cols.AsSpan(0, k * l);
                            if (cols is not null) g.Im2Col<T>(x, cols);
                            var part = pw.AsSpan(p * wsize, wsize);
                            for (int gi = 0; gi < groups; gi++)
                                Gemm.MultiplyOnThreads<T>(false, true, cog, kg, l, dyi.Slice(gi * cog * l), l, xhat.Slice(gi * kg * l), l,
                                    part.Slice(gi * cog * kg), kg, accumulate: i > lo, inner);
                        }
                        if (pb is not null)
                            for (int c = 0; c < cout; c++) pb[p * cout + c] += TensorPrimitives.Sum<T>(dyi.Slice(c * l, l));
                        if (dx is not null)
                        {
                            var dxi = dx.AsSpan(i * chw, chw);
                            Span<T> target = dcols is null ? dxi : dcols.AsSpan(0, k * l);
                            for (int gi = 0; gi < groups; gi++)
                                Gemm.MultiplyOnThreads<T>(true, false, kg, l, cog, ws.AsSpan(wo + gi * cog * kg, cog * kg), kg,
                                    dyi.Slice(gi * cog * l), l, target.Slice(gi * kg * l), l, false, inner);
                            if (dcols is null) continue;
                            dxi.Clear();
                            g.Col2Im<T>(dcols, dxi);
                        }
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
