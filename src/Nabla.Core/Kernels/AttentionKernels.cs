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
/// Fused attention, one problem at a time, so its Q, K, V and its [L, S] score tile stay in cache: the scores Q·Kᵀ as one
/// small packed matrix product, per row the scale, the mask, a two-pass softmax (max, then exp and sum) over the visible
/// keys only, then P·V as a second product written straight into the output rows. The row's log-sum-exp is saved;
/// backward recomputes the probabilities from it, so no [L, S] matrix outlives the call. Problems run in parallel on the
/// GEMM workers when the call is large enough; each writes only its own rows (or head columns) of the output and of dQ,
/// dK, dV, so nothing needs a lock.
/// </summary>
/// <remarks>
/// At nanoGPT's sizes (L = S = 64, E = 32) a product per problem runs the packed micro-kernel on a tile that fits in L1;
/// the per-pair dot products it replaces spent most of their time in call overhead and horizontal sums. With a causal
/// mask the rows and keys go in blocks of <see cref="Block"/>, so the products skip the hidden blocks above the diagonal;
/// inside a diagonal block the hidden entries are computed and their probabilities set to exact zeros.
/// </remarks>
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

    /// <summary>C = op(A)·op(B) on one worker (problems already run one per worker), A and B read from their offsets on.</summary>
    private static void Product<T>(bool transA, bool transB, int m, int n, int k, T[] a, int aAt, int lda, T[] b, int bAt, int ldb,
        Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T> =>
        Gemm.MultiplyOnThreads<T>(transA, transB, m, n, k, a.AsSpan(aAt), lda, b.AsSpan(bAt), ldb, c, ldc, accumulate: false, maxThreads: 1);

    /// <summary>
    /// Rows per block when causal: row block [i0, i1) sees keys [0, min(i1, S)) only, and key block [j0, j1) is seen by rows
    /// [j0, L) only, so the products skip most of the hidden upper triangle (a quarter of the work at T = 64).
    /// </summary>
    private const int Block = 32;

    /// <summary>The keys rows [0, <paramref name="i1"/>) can see: all S, or min(i1, S) when causal.</summary>
    private static int KeysSeen<T>(AttentionShape<T> p, int i1) where T : unmanaged, IFloatingPointIeee754<T> =>
        p.Causal ? Math.Min(i1, p.S) : p.S;

    /// <summary>The rows of each block: <see cref="Block"/> when causal, else all L in one.</summary>
    private static int RowStep<T>(AttentionShape<T> p) where T : unmanaged, IFloatingPointIeee754<T> =>
        p.Causal ? Block : Math.Max(p.L, 1);

    /// <summary>
    /// O = softmax(Q·Kᵀ·scale + mask)·V for every problem; lse[b·L + i] = the log-sum-exp of row i's visible scores, or
    /// −∞ when no key is visible (every score −∞, or S = 0): that row's output is 0, as PyTorch's SDPA gives.
    /// </summary>
    public static void Forward<T>(AttentionShape<T> p, T[] q, T[] k, T[] v, T[] o, T[] lse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ForEach(p, b =>
        {
            var tile = ArrayPool<T>.Shared.Rent(Math.Max(p.L * p.S, 1));
            var r = Rows.Of(p, b);
            int step = RowStep(p);
            for (int i0 = 0; i0 < p.L; i0 += step)
            {
                int i1 = Math.Min(i0 + step, p.L), nb = KeysSeen(p, i1);
                var s = tile.AsSpan(i0 * p.S, (i1 - i0) * p.S);
                Product(false, true, i1 - i0, nb, p.E, q, r.Q + i0 * p.Q.RowStride, p.Q.RowStride, k, r.K, p.K.RowStride, s, p.S);
                for (int i = i0; i < i1; i++)
                {
                    var si = tile.AsSpan(i * p.S, p.S);
                    T m = Scores(p, b, i, si);
                    if (T.IsNegativeInfinity(m)) { si.Clear(); lse[b * p.L + i] = m; continue; }
                    var e = si[..p.Visible(i)];
                    TensorPrimitives.Subtract(e, m, e);
                    TensorPrimitives.Exp(e, e);
                    T sum = TensorPrimitives.Sum<T>(e);
                    lse[b * p.L + i] = m + T.Log(sum);
                    TensorPrimitives.Multiply(e, T.One / sum, e);
                }
                Product(false, false, i1 - i0, p.Ev, nb, tile, i0 * p.S, p.S, v, r.V, p.V.RowStride,
                    o.AsSpan(r.O + i0 * p.O.RowStride), p.O.RowStride);
            }
            ArrayPool<T>.Shared.Return(tile);
        });
    }

    /// <summary>
    /// From dO (laid out as the output, at <paramref name="dO"/>'s layout <paramref name="dOLayout"/>): P = exp(S − lse)
    /// recomputed, D = rowsum(dO ⊙ O), then dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ⊙ (dP − D)·scale, dQ = dS·K, dK = dSᵀ·Q, each a
    /// small product written (not added) into its array at the given layout (null when that input needs no gradient):
    /// every element of a gradient array that belongs to some problem is overwritten.
    /// </summary>
    public static void Backward<T>(AttentionShape<T> p, T[] q, T[] k, T[] v, T[] o, T[] lse, T[] dO, AttentionLayout dOLayout,
        (T[] Data, AttentionLayout Layout)? dq, (T[] Data, AttentionLayout Layout)? dk, (T[] Data, AttentionLayout Layout)? dv)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ForEach(p, b =>
        {
            int ls = p.L * p.S, step = RowStep(p);
            var tiles = ArrayPool<T>.Shared.Rent(Math.Max(2 * ls, 1));
            var r = Rows.Of(p, b);
            int go = dOLayout.At(b, p.Heads, 0);
            bool scores = dq is not null || dk is not null;
            for (int i0 = 0; i0 < p.L; i0 += step)
            {
                int i1 = Math.Min(i0 + step, p.L), nb = KeysSeen(p, i1);
                Product(false, true, i1 - i0, nb, p.E, q, r.Q + i0 * p.Q.RowStride, p.Q.RowStride, k, r.K, p.K.RowStride,
                    tiles.AsSpan(i0 * p.S, (i1 - i0) * p.S), p.S);
                if (scores)
                    Product(false, true, i1 - i0, nb, p.Ev, dO, go + i0 * dOLayout.RowStride, dOLayout.RowStride, v, r.V, p.V.RowStride,
                        tiles.AsSpan(ls + i0 * p.S, (i1 - i0) * p.S), p.S);
                for (int i = i0; i < i1; i++)
                {
                    var pi = tiles.AsSpan(i * p.S, p.S);
                    var dsi = tiles.AsSpan(ls + i * p.S, p.S);
                    T l = lse[b * p.L + i];
                    if (T.IsNegativeInfinity(l))   // no visible key: output 0, gradient 0
                    {
                        pi.Clear();
                        dsi.Clear();
                        continue;
                    }
                    Scores(p, b, i, pi);
                    int n = p.Visible(i);
                    var e = pi[..n];
                    TensorPrimitives.Subtract(e, l, e);
                    TensorPrimitives.Exp(e, e);
                    if (!scores) continue;
                    T d = TensorPrimitives.Dot<T>(dO.AsSpan(go + i * dOLayout.RowStride, p.Ev), o.AsSpan(r.O + i * p.O.RowStride, p.Ev));
                    var head = dsi[..n];
                    TensorPrimitives.Subtract(head, d, head);
                    TensorPrimitives.Multiply(head, e, head);
                    TensorPrimitives.Multiply(head, p.Scale, head);
                    dsi[n..].Clear();
                }
                if (dq is { } dqa)
                    Product(false, false, i1 - i0, p.E, nb, tiles, ls + i0 * p.S, p.S, k, r.K, p.K.RowStride,
                        dqa.Data.AsSpan(dqa.Layout.At(b, p.Heads, 0) + i0 * dqa.Layout.RowStride), dqa.Layout.RowStride);
            }
            // Key block [j0, j1) is seen only by rows [j0, L) when causal (by all rows otherwise): dV and dK in one product each.
            int keyStep = p.Causal ? Block : Math.Max(p.S, 1);
            for (int j0 = 0; j0 < p.S && (dv is not null || dk is not null); j0 += keyStep)
            {
                int j1 = Math.Min(j0 + keyStep, p.S), first = p.Causal ? Math.Min(j0, p.L) : 0, rows = p.L - first;
                if (dv is { } dva)
                    Product(true, false, j1 - j0, p.Ev, rows, tiles, first * p.S + j0, p.S, dO, go + first * dOLayout.RowStride, dOLayout.RowStride,
                        dva.Data.AsSpan(dva.Layout.At(b, p.Heads, 0) + j0 * dva.Layout.RowStride), dva.Layout.RowStride);
                if (dk is { } dka)
                    Product(true, false, j1 - j0, p.E, rows, tiles, ls + first * p.S + j0, p.S, q, r.Q + first * p.Q.RowStride, p.Q.RowStride,
                        dka.Data.AsSpan(dka.Layout.At(b, p.Heads, 0) + j0 * dka.Layout.RowStride), dka.Layout.RowStride);
            }
            ArrayPool<T>.Shared.Return(tiles);
        });
    }

    /// <summary>
    /// Turns row i's raw products q_i·k_j (all S of them, in <paramref name="row"/>) into scores: the visible ones scaled and
    /// masked, the hidden ones set to 0 (their probability); returns the visible scores' maximum (−∞ if none).
    /// </summary>
    private static T Scores<T>(AttentionShape<T> p, int b, int i, Span<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = p.Visible(i);
        var s = row[..n];
        row[n..].Clear();
        TensorPrimitives.Multiply(s, p.Scale, s);
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
