using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// The shape of one scaled-dot-product attention call: <see cref="Batch"/> independent (leading index) problems, each
/// with L queries and S keys of E features and values of Ev features, the scale, causality (key j visible to query i
/// when j ≤ i) and an optional additive mask read through per-problem offsets and its row and column strides (0 where
/// it broadcasts).
/// </summary>
internal sealed record AttentionShape<T>(int Batch, int L, int S, int E, int Ev, T Scale, bool Causal,
    T[]? Mask, int[]? MaskOffsets, int MaskRowStride, int MaskColumnStride) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>How many keys query <paramref name="i"/> can see: all S, or i + 1 (at most S) when causal.</summary>
    public int Visible(int i) => Causal ? Math.Min(i + 1, S) : S;

    /// <summary>Roughly the multiply-adds of one pass, to decide whether a second core pays.</summary>
    public long Work => (long)Batch * L * S * (E + Ev);
}

/// <summary>
/// Fused attention, one (leading index) problem at a time, so Q, K, V and a score row stay in cache: per query row the
/// scores q·kⱼ·scale (+ mask), only for the visible keys, a two-pass softmax (max, then exp and sum), and Σ pⱼ·vⱼ written
/// straight into the output. The row's log-sum-exp is saved; backward recomputes the probabilities from it, so no
/// [L, S] matrix is ever stored. Problems run in parallel on the GEMM workers when the call is large enough; each writes
/// only its own slices of the output and of dQ, dK, dV, so nothing needs a lock.
/// </summary>
internal static class AttentionKernels
{
    private const long ParallelWork = 1 << 15;

    private static void ForEach<T>(AttentionShape<T> p, Action<int> body) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p.Batch > 1 && p.Work >= ParallelWork) GemmWorkers.Run(p.Batch, GemmWorkers.Threads, body);
        else for (int b = 0; b < p.Batch; b++) body(b);
    }

    /// <summary>
    /// O = softmax(Q·Kᵀ·scale + mask)·V for every problem; lse[b, i] = the log-sum-exp of row i's visible scores, or −∞
    /// when no key is visible (every score −∞, or S = 0): that row's output is 0, as PyTorch's SDPA gives.
    /// </summary>
    public static void Forward<T>(AttentionShape<T> p, T[] q, int qOff, T[] k, int kOff, T[] v, int vOff, T[] o, T[] lse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ForEach(p, b =>
        {
            var row = ArrayPool<T>.Shared.Rent(Math.Max(p.S, 1));
            for (int i = 0; i < p.L; i++)
            {
                int n = p.Visible(i);
                var s = row.AsSpan(0, n);
                var oi = o.AsSpan((b * p.L + i) * p.Ev, p.Ev);
                oi.Clear();
                T m = Scores(p, b, i, q, qOff, k, kOff, s);
                int at = b * p.L + i;
                if (T.IsNegativeInfinity(m)) { lse[at] = m; continue; }
                TensorPrimitives.Subtract(s, m, s);
                TensorPrimitives.Exp(s, s);
                T sum = TensorPrimitives.Sum<T>(s);
                lse[at] = m + T.Log(sum);
                T inv = T.One / sum;
                for (int j = 0; j < n; j++)
                    if (s[j] != T.Zero) TensorPrimitives.MultiplyAdd(v.AsSpan(vOff + (b * p.S + j) * p.Ev, p.Ev), s[j] * inv, oi, oi);
            }
            ArrayPool<T>.Shared.Return(row);
        });
    }

    /// <summary>
    /// From dO: pⱼ = exp(sⱼ − lse) recomputed per row, D = dO·O, and then dV += pᵀ·dO, dP = dO·Vᵀ, dS = p ⊙ (dP − D),
    /// dQ += dS·K·scale, dK += dSᵀ·Q·scale, each into its zeroed array (null when that input needs no gradient).
    /// </summary>
    public static void Backward<T>(AttentionShape<T> p, T[] q, int qOff, T[] k, int kOff, T[] v, int vOff, T[] o, T[] lse,
        T[] dO, int dOff, T[]? dq, T[]? dk, T[]? dv) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ForEach(p, b =>
        {
            var row = ArrayPool<T>.Shared.Rent(Math.Max(p.S, 1));
            for (int i = 0; i < p.L; i++)
            {
                int at = b * p.L + i;
                if (T.IsNegativeInfinity(lse[at])) continue;   // no visible key: output 0, gradient 0
                int n = p.Visible(i);
                var s = row.AsSpan(0, n);
                Scores(p, b, i, q, qOff, k, kOff, s);
                TensorPrimitives.Subtract(s, lse[at], s);
                TensorPrimitives.Exp(s, s);
                var doi = dO.AsSpan(dOff + at * p.Ev, p.Ev);
                T d = TensorPrimitives.Dot<T>(doi, o.AsSpan(at * p.Ev, p.Ev));
                var qi = q.AsSpan(qOff + at * p.E, p.E);
                for (int j = 0; j < n; j++)
                {
                    T pj = s[j];
                    if (pj == T.Zero) continue;
                    int key = b * p.S + j;
                    if (dv is not null) TensorPrimitives.MultiplyAdd(doi, pj, dv.AsSpan(key * p.Ev, p.Ev), dv.AsSpan(key * p.Ev, p.Ev));
                    if (dq is null && dk is null) continue;
                    T ds = pj * (TensorPrimitives.Dot<T>(doi, v.AsSpan(vOff + key * p.Ev, p.Ev)) - d) * p.Scale;
                    if (dq is not null)
                        TensorPrimitives.MultiplyAdd(k.AsSpan(kOff + key * p.E, p.E), ds, dq.AsSpan(at * p.E, p.E), dq.AsSpan(at * p.E, p.E));
                    if (dk is not null) TensorPrimitives.MultiplyAdd(qi, ds, dk.AsSpan(key * p.E, p.E), dk.AsSpan(key * p.E, p.E));
                }
            }
            ArrayPool<T>.Shared.Return(row);
        });
    }

    /// <summary>Row i's visible scores q_i·k_j·scale + mask[i, j] into <paramref name="s"/>; returns their maximum (−∞ if none).</summary>
    private static T Scores<T>(AttentionShape<T> p, int b, int i, T[] q, int qOff, T[] k, int kOff, Span<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var qi = q.AsSpan(qOff + (b * p.L + i) * p.E, p.E);
        for (int j = 0; j < s.Length; j++) s[j] = TensorPrimitives.Dot<T>(qi, k.AsSpan(kOff + (b * p.S + j) * p.E, p.E)) * p.Scale;
        if (p.Mask is { } mask)
        {
            int at = p.MaskOffsets![b] + i * p.MaskRowStride;
            if (p.MaskColumnStride == 1) TensorPrimitives.Add(s, mask.AsSpan(at, s.Length), s);
            else for (int j = 0; j < s.Length; j++) s[j] += mask[at + j * p.MaskColumnStride];
        }
        return s.IsEmpty ? T.NegativeInfinity : TensorPrimitives.Max<T>(s);
    }
}
