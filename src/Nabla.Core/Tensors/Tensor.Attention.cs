using System.Numerics;
using Nabla.Functional;
using Nabla.Kernels;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Fused attention with the semantics of PyTorch's <c>scaled_dot_product_attention</c>:
    /// O = softmax(Q·Kᵀ·scale + mask)·V over the last dimension, for <paramref name="query"/> [.., L, E],
    /// <paramref name="key"/> [.., S, E] and <paramref name="value"/> [.., S, Ev] with the same leading dimensions
    /// (e.g. [batch, heads]); the result is [.., L, Ev]. <paramref name="scale"/> defaults to 1/√E.
    /// <paramref name="causal"/> lets query i see keys j ≤ i only (top-left aligned when L ≠ S); <paramref name="mask"/>
    /// is an additive float mask broadcastable to [.., L, S] (−∞ hides a key; it gets no gradient); both may be given.
    /// A query that sees no key (its whole row −∞) gets output 0 and gradient 0, as PyTorch's SDPA does, where the
    /// composition with <see cref="Softmax"/> would give NaN.
    /// <para>
    /// One kernel per leading index computes the scores, the softmax and the product with V without storing the
    /// [.., L, S] matrix (with <paramref name="causal"/> only j ≤ i is computed); it keeps each row's log-sum-exp, and
    /// backward recomputes the probabilities from it: dV = Pᵀ·dO, dS = P ⊙ (dO·Vᵀ − rowsum(dO ⊙ O)),
    /// dQ = dS·K·scale, dK = dSᵀ·Q·scale. Leading indices run on both cores when the call is large enough.
    /// </para>
    /// </summary>
    public static Tensor<T> ScaledDotProductAttention(Tensor<T> query, Tensor<T> key, Tensor<T> value, bool causal = false,
        Tensor<T>? mask = null, double? scale = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var p = AttentionProblem(query, key, value, causal, mask, scale);
        var (qs, qo) = Flat(query);
        var (ks, ko) = Flat(key);
        var (vs, vo) = Flat(value);
        p = p with
        {
            Q = AttentionLayout.Dense(qo, p.L, p.E), K = AttentionLayout.Dense(ko, p.S, p.E),
            V = AttentionLayout.Dense(vo, p.S, p.Ev), O = AttentionLayout.Dense(0, p.L, p.Ev),
        };
        int[] outShape = [.. query.ShapeArray[..^1], p.Ev];
        var o = BufferPool<T>.Rent(p.Batch * p.L * p.Ev);
        var lse = BufferPool<T>.Rent(p.Batch * p.L);   // a workspace of the node: back to the pool when it is freed
        AttentionKernels.Forward(p, qs, ks, vs, o, lse);
        var y = Dense(o, outShape, null);
        if (!Recording(query, key, value))
        {
            BufferPool<T>.ReturnWorkspace(lse);
            return y;
        }
        Tensor<T>[] saved = mask is null ? [query, key, value, y] : [query, key, value, y, mask];
        var recorded = Record(y, "scaled_dot_product_attention", [query, key, value], saved, (dy, sink) =>
        {
            var (ds, dOff) = Flat(dy);
            // The kernel overwrites every element of each gradient it is given (each problem its own rows).
            T[]? dq = sink.Needs(0) ? BufferPool<T>.Rent(query.ElementCount) : null;
            T[]? dk = sink.Needs(1) ? BufferPool<T>.Rent(key.ElementCount) : null;
            T[]? dv = sink.Needs(2) ? BufferPool<T>.Rent(value.ElementCount) : null;
            AttentionKernels.Backward(p, qs, ks, vs, o, lse, ds, p.O.At(dOff),
                dq is null ? null : (dq, p.Q.At(0)), dk is null ? null : (dk, p.K.At(0)), dv is null ? null : (dv, p.V.At(0)));
            if (dq is not null) sink.Add(0, new Tensor<T>(dq, query.ShapeArray), owned: true);
            if (dk is not null) sink.Add(1, new Tensor<T>(dk, key.ShapeArray), owned: true);
            if (dv is not null) sink.Add(2, new Tensor<T>(dv, value.ShapeArray), owned: true);
        }, ts => AttentionTangent(query, key, value, causal, mask, p.Scale, lse, ts[0], ts[1], ts[2]));
        recorded.Node!.OnFree = () => BufferPool<T>.ReturnWorkspace(lse);
        return recorded;
    }

    /// <summary>Checks the shapes (naming every shape involved when they do not fit) and describes the call.</summary>
    private static AttentionShape<T> AttentionProblem(Tensor<T> q, Tensor<T> k, Tensor<T> v, bool causal, Tensor<T>? mask, double? scale)
    {
        const string op = "scaled_dot_product_attention";
        string shapes = $"query {Shapes.Format(q.ShapeArray)}, key {Shapes.Format(k.ShapeArray)}, value {Shapes.Format(v.ShapeArray)}";
        if (q.Rank < 2 || k.Rank < 2 || v.Rank < 2)
            throw new NablaException($"{op} needs query [.., L, E], key [.., S, E] and value [.., S, Ev] with at least two dimensions each; got {shapes}");
        if (!q.ShapeArray.AsSpan(0, q.Rank - 2).SequenceEqual(k.ShapeArray.AsSpan(0, k.Rank - 2))
            || !q.ShapeArray.AsSpan(0, q.Rank - 2).SequenceEqual(v.ShapeArray.AsSpan(0, v.Rank - 2)))
            throw new NablaException($"{op}: query, key and value must have the same leading dimensions (all but the last two); got {shapes}");
        int l = q.ShapeArray[^2], e = q.ShapeArray[^1], s = k.ShapeArray[^2], ev = v.ShapeArray[^1];
        if (k.ShapeArray[^1] != e)
            throw new NablaException($"{op}: query has E = {e} features but key has {k.ShapeArray[^1]} (the last dimensions must agree); got {shapes}");
        if (v.ShapeArray[^2] != s)
            throw new NablaException($"{op}: key has S = {s} positions but value has {v.ShapeArray[^2]} (the second-to-last dimensions must agree); got {shapes}");
        double sc = scale ?? 1 / Math.Sqrt(e);
        if (!double.IsFinite(sc))
            throw new NablaArgumentException(nameof(scale), $"{op}: the scale must be finite, got {sc} (the default 1/√E needs E ≥ 1; {shapes})");
        int batch = Shapes.ElementCount(q.ShapeArray.AsSpan(0, q.Rank - 2));
        var none = default(AttentionLayout);   // the caller sets the layouts
        if (mask is null) return new(batch, 1, l, s, e, ev, T.CreateChecked(sc), causal, none, none, none, none, null, null, 0, 0);

        int[] full = [.. q.ShapeArray[..^2], l, s];
        if (!Shapes.BroadcastsTo(mask.ShapeArray, full))
            throw new NablaException($"{op}: the mask of shape {Shapes.Format(mask.ShapeArray)} does not broadcast to the scores' shape {Shapes.Format(full)} ([.., L, S]); got {shapes}");
        var strides = Shapes.BroadcastStrides(mask.ShapeArray, mask.StridesArray, full);
        var offsets = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            int at = mask.Offset, rest = b;
            for (int d = full.Length - 3; d >= 0; d--) { at += rest % full[d] * strides[d]; rest /= full[d]; }
            offsets[b] = at;
        }
        return new(batch, 1, l, s, e, ev, T.CreateChecked(sc), causal, none, none, none, none, mask.Storage, offsets, strides[^2], strides[^1]);
    }

    /// <summary>The elements in row-major order as (array, offset): the storage when contiguous, else a gathered copy.</summary>
    private static (T[] Data, int Offset) Flat(Tensor<T> x) => x.IsContiguous ? (x.Storage, x.Offset) : (ElementwiseLoops.Gather(x), 0);

    /// <summary>
    /// The tangent of the attention output with tensor ops, so it can be differentiated again: with P the probabilities,
    /// t_S = (t_Q·Kᵀ + Q·t_Kᵀ)·scale, t_P = P ⊙ (t_S − rowsum(P ⊙ t_S)), t_O = t_P·V + P·t_V.
    /// </summary>
    private static Tensor<T>? AttentionTangent(Tensor<T> q, Tensor<T> k, Tensor<T> v, bool causal, Tensor<T>? mask, T scale, T[] lse,
        Tensor<T>? tq, Tensor<T>? tk, Tensor<T>? tv)
    {
        var probs = AttentionProbabilities(q, k, causal, mask, scale, lse);
        Tensor<T>? ts = tq is null ? null : tq.MatMul(k.Transpose(-2, -1)) * scale;
        if (tk is not null) ts = Tangents.Plus(ts, q.MatMul(tk.Transpose(-2, -1)) * scale);
        Tensor<T>? to = null;
        if (ts is not null) to = (probs * (ts - (probs * ts).Sum(-1, keepDims: true))).MatMul(v);
        return tv is null ? to : Tangents.Plus(to, probs.MatMul(tv));
    }

    /// <summary>
    /// softmax(Q·Kᵀ·scale + mask, causal) as recorded tensor ops, with the rows that see no key (lse = −∞) set to 0 as
    /// the fused kernel treats them.
    /// </summary>
    private static Tensor<T> AttentionProbabilities(Tensor<T> q, Tensor<T> k, bool causal, Tensor<T>? mask, T scale, T[] lse)
    {
        var s = q.MatMul(k.Transpose(-2, -1)) * scale;
        if (mask is not null) s += mask;
        if (causal) s = s.MaskedFill(CausalMask(q.ShapeArray[^2], k.ShapeArray[^2]), T.NegativeInfinity);
        if (!lse.Any(T.IsNegativeInfinity)) return s.Softmax(-1);
        var dead = new T[lse.Length];
        for (int i = 0; i < dead.Length; i++) dead[i] = T.IsNegativeInfinity(lse[i]) ? T.One : T.Zero;
        var rows = new Tensor<T>(dead, [.. q.ShapeArray[..^1], 1]);
        return Where(rows, Scalar(T.Zero), s).Softmax(-1) * (T.One - rows);
    }
}
