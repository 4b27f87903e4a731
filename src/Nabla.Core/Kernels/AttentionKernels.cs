using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Where one operand's rows sit in its array: row r of problem b = (outer, head) = (b / heads, b % heads) starts at
/// Offset + outer·OuterStride + head·HeadStride + r·RowStride, its elements contiguous. A tensor [.., rows, width]
/// has OuterStride = rows·width, HeadStride 0 (one head per problem), RowStride = width; nanoGPT's [B, T, 3C] projection
/// has OuterStride = T·3C, HeadStride = hs, RowStride = 3C, and Offset 0, C or 2C for q, k or v.
/// </summary>
internal readonly record struct AttentionLayout(int Offset, int OuterStride, int HeadStride, int RowStride)
{
    /// <summary>The layout of a row-major [.., rows, width] tensor starting at <paramref name="offset"/>.</summary>
    public static AttentionLayout Dense(int offset, int rows, int width) => new(offset, rows * width, 0, width);

    /// <summary>Where row <paramref name="row"/> of problem <paramref name="b"/> starts.</summary>
    public int At(int b, int heads, int row) => Offset + b / heads * OuterStride + b % heads * HeadStride + row * RowStride;

    /// <summary>The same layout over another array that starts at <paramref name="offset"/> (a gradient buffer).</summary>
    public AttentionLayout At(int offset) => this with { Offset = offset };
}

/// <summary>
/// One scaled-dot-product attention call: <see cref="Batch"/> independent problems (leading indices, or (batch, head)
/// pairs, <see cref="Heads"/> per outer index), each with L queries and S keys of E features and values of Ev features,
/// the layouts of q, k, v and the output, the scale, causality (key j visible to query i when j ≤ i) and an optional
/// additive mask read through per-problem offsets and its row and column strides (0 where it broadcasts).
/// </summary>
internal sealed record AttentionShape<T>(int Batch, int Heads, int L, int S, int E, int Ev, T Scale, bool Causal,
    AttentionLayout Q, AttentionLayout K, AttentionLayout V, AttentionLayout O,
    T[]? Mask, int[]? MaskOffsets, int MaskRowStride, int MaskColumnStride) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>How many keys query <paramref name="i"/> can see: all S, or i + 1 (at most S) when causal.</summary>
    public int Visible(int i) => Causal ? Math.Min(i + 1, S) : S;

    /// <summary>Roughly the multiply-adds of one pass, to decide whether a second core pays.</summary>
    public long Work => (long)Batch * L * S * (E + Ev);
}

/// <summary>
/// Fused attention, one problem at a time, so its Q, K, V and a score row stay in cache: per query row the scores
/// q·kⱼ·scale (+ mask), only for the visible keys, a two-pass softmax (max, then exp and sum), and Σ pⱼ·vⱼ written
/// straight into the output. The row's log-sum-exp is saved; backward recomputes the probabilities from it, so no
/// [L, S] matrix is ever stored. Problems run in parallel on the GEMM workers when the call is large enough; each writes
/// only its own rows (or head columns) of the output and of dQ, dK, dV, so nothing needs a lock.
/// </summary>
internal static class AttentionKernels
{
    /// <summary>Where row 0 of problem b's q, k, v and output start (the division by the head count done once per problem).</summary>
    private readonly record struct Rows(int Q, int K, int V, int O)
    {
        public static Rows Of<T>(AttentionShape<T> p, int b) where T : unmanaged, IFloatingPointIeee754<T> =>
            new(p.Q.At(b, p.Heads, 0), p.K.At(b, p.Heads, 0), p.V.At(b, p.Heads, 0), p.O.At(b, p.Heads, 0));
    }

    private const long ParallelWork = 1 << 15;

    private static void ForEach<T>(AttentionShape<T> p, Action<int> body) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p.Batch > 1 && p.Work >= ParallelWork) GemmWorkers.Run(p.Batch, GemmWorkers.Threads, body);
        else for (int b = 0; b < p.Batch; b++) body(b);
    }

    /// <summary>
    /// O = softmax(Q·Kᵀ·scale + mask)·V for every problem; lse[b·L + i] = the log-sum-exp of row i's visible scores, or
    /// −∞ when no key is visible (every score −∞, or S = 0): that row's output is 0, as PyTorch's SDPA gives.
    /// </summary>
    public static void Forward<T>(AttentionShape<T> p, T[] q, T[] k, T[] v, T[] o, T[] lse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ForEach(p, b =>
        {
            var row = ArrayPool<T>.Shared.Rent(Math.Max(p.S, 1));
            var r = Rows.Of(p, b);
            for (int i = 0; i < p.L; i++)
            {
                int n = p.Visible(i), at = b * p.L + i;
                var s = row.AsSpan(0, n);
                var oi = o.AsSpan(r.O + i * p.O.RowStride, p.Ev);
                oi.Clear();
                T m = Scores(p, r, b, i, q, k, s);
                if (T.IsNegativeInfinity(m)) { lse[at] = m; continue; }
                TensorPrimitives.Subtract(s, m, s);
                TensorPrimitives.Exp(s, s);
                T sum = TensorPrimitives.Sum<T>(s);
                lse[at] = m + T.Log(sum);
                T inv = T.One / sum;
                for (int j = 0; j < n; j++)
                    if (s[j] != T.Zero) TensorPrimitives.MultiplyAdd(v.AsSpan(r.V + j * p.V.RowStride, p.Ev), s[j] * inv, oi, oi);
            }
            ArrayPool<T>.Shared.Return(row);
        });
    }

    /// <summary>
    /// From dO (laid out as the output, at <paramref name="dO"/>'s layout <paramref name="dOLayout"/>): pⱼ = exp(sⱼ − lse)
    /// recomputed per row, D = dO·O, then dV += pᵀ·dO, dP = dO·Vᵀ, dS = p ⊙ (dP − D), dQ += dS·K·scale, dK += dSᵀ·Q·scale,
    /// each added into its zeroed array at the given layout (null when that input needs no gradient).
    /// </summary>
    public static void Backward<T>(AttentionShape<T> p, T[] q, T[] k, T[] v, T[] o, T[] lse, T[] dO, AttentionLayout dOLayout,
        (T[] Data, AttentionLayout Layout)? dq, (T[] Data, AttentionLayout Layout)? dk, (T[] Data, AttentionLayout Layout)? dv)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ForEach(p, b =>
        {
            var row = ArrayPool<T>.Shared.Rent(Math.Max(p.S, 1));
            var r = Rows.Of(p, b);
            int gq = dq is { } q0 ? q0.Layout.At(b, p.Heads, 0) : 0, gk = dk is { } k0 ? k0.Layout.At(b, p.Heads, 0) : 0;
            int gv = dv is { } v0 ? v0.Layout.At(b, p.Heads, 0) : 0, go = dOLayout.At(b, p.Heads, 0);
            for (int i = 0; i < p.L; i++)
            {
                int at = b * p.L + i;
                if (T.IsNegativeInfinity(lse[at])) continue;   // no visible key: output 0, gradient 0
                int n = p.Visible(i);
                var s = row.AsSpan(0, n);
                Scores(p, r, b, i, q, k, s);
                TensorPrimitives.Subtract(s, lse[at], s);
                TensorPrimitives.Exp(s, s);
                var doi = dO.AsSpan(go + i * dOLayout.RowStride, p.Ev);
                T d = TensorPrimitives.Dot<T>(doi, o.AsSpan(r.O + i * p.O.RowStride, p.Ev));
                var qi = q.AsSpan(r.Q + i * p.Q.RowStride, p.E);
                var dqi = dq is { } dqa ? dqa.Data.AsSpan(gq + i * dqa.Layout.RowStride, p.E) : default;
                for (int j = 0; j < n; j++)
                {
                    T pj = s[j];
                    if (pj == T.Zero) continue;
                    if (dv is { } dva)
                    {
                        var dvj = dva.Data.AsSpan(gv + j * dva.Layout.RowStride, p.Ev);
                        TensorPrimitives.MultiplyAdd(doi, pj, dvj, dvj);
                    }
                    if (dq is null && dk is null) continue;
                    T ds = pj * (TensorPrimitives.Dot<T>(doi, v.AsSpan(r.V + j * p.V.RowStride, p.Ev)) - d) * p.Scale;
                    if (dq is not null) TensorPrimitives.MultiplyAdd(k.AsSpan(r.K + j * p.K.RowStride, p.E), ds, dqi, dqi);
                    if (dk is { } dka)
                    {
                        var dkj = dka.Data.AsSpan(gk + j * dka.Layout.RowStride, p.E);
                        TensorPrimitives.MultiplyAdd(qi, ds, dkj, dkj);
                    }
                }
            }
            ArrayPool<T>.Shared.Return(row);
        });
    }

    /// <summary>Row i's visible scores q_i·k_j·scale + mask[i, j] into <paramref name="s"/>; returns their maximum (−∞ if none).</summary>
    private static T Scores<T>(AttentionShape<T> p, Rows r, int b, int i, T[] q, T[] k, Span<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var qi = q.AsSpan(r.Q + i * p.Q.RowStride, p.E);
        for (int j = 0; j < s.Length; j++) s[j] = TensorPrimitives.Dot<T>(qi, k.AsSpan(r.K + j * p.K.RowStride, p.E)) * p.Scale;
        // No keys (S = 0): nothing to add, and an empty mask's offsets may lie past its storage.
        if (p.Mask is { } mask && !s.IsEmpty)
        {
            int at = p.MaskOffsets![b] + i * p.MaskRowStride;
            if (p.MaskColumnStride == 1) TensorPrimitives.Add(s, mask.AsSpan(at, s.Length), s);
            else for (int j = 0; j < s.Length; j++) s[j] += mask[at + j * p.MaskColumnStride];
        }
        return s.IsEmpty ? T.NegativeInfinity : TensorPrimitives.Max<T>(s);
    }
}
