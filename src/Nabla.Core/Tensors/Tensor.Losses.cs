using System.Numerics;
using Nabla.Losses;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Squared error between <paramref name="prediction"/> and <paramref name="target"/> (same shape), one fused op:
    /// l[i] = (p[i] − t[i])², reduced by <paramref name="reduction"/> (Mean = PyTorch's <c>mse_loss</c>, Sum = the
    /// notebooks' Σ(p − y)²). Backward: ∂l/∂p = 2(p − t), ∂l/∂t = −2(p − t), times dy (÷ count for Mean).
    /// </summary>
    public static Tensor<T> Mse(Tensor<T> prediction, Tensor<T> target, Reduction reduction = Reduction.Mean) =>
        ElementLoss(prediction, target, reduction, "mse",
            static (p, t) => (p - t) * (p - t),
            static (p, t) => T.CreateTruncating(2) * (p - t),
            static (p, t) => T.CreateTruncating(-2) * (p - t),
            static (p, t, tp, tt) => T.CreateTruncating(2) * (p - t) * Tangents.Minus(tp, tt)!);

    /// <summary>
    /// Binary cross-entropy on logits z against targets y in [0, 1] (same shape), in the stable form
    /// l[i] = max(z, 0) − z·y + log(1 + e^(−|z|)) (finite for any finite z; equals PyTorch's
    /// <c>binary_cross_entropy_with_logits</c>). Backward: ∂l/∂z = σ(z) − y, ∂l/∂y = −z, times dy (÷ count for Mean).
    /// </summary>
    public static Tensor<T> BinaryCrossEntropyWithLogits(Tensor<T> logits, Tensor<T> targets, Reduction reduction = Reduction.Mean) =>
        ElementLoss(logits, targets, reduction, "bce_with_logits",
            static (z, y) => T.Max(z, T.Zero) - z * y + T.LogP1(T.Exp(-T.Abs(z))),
            static (z, y) => T.One / (T.One + T.Exp(-z)) - y,
            static (z, y) => -z,
            static (z, y, tz, ty) => Tangents.Minus(tz is null ? null : (z.Sigmoid() - y) * tz, ty is null ? null : z * ty)!);

    /// <summary>
    /// The hinge (max-margin) loss of micrograd's demo: l[i] = max(0, 1 − y[i]·s[i]) for scores s and labels y = ±1
    /// (same shape). Backward where the margin is violated (1 − y·s &gt; 0): ∂l/∂s = −y, ∂l/∂y = −s; 0 elsewhere
    /// (also exactly at the kink), times dy (÷ count for Mean).
    /// </summary>
    public static Tensor<T> Hinge(Tensor<T> scores, Tensor<T> labels, Reduction reduction = Reduction.Mean) =>
        ElementLoss(scores, labels, reduction, "hinge",
            static (s, y) => T.Max(T.Zero, T.One - y * s),
            static (s, y) => T.One - y * s > T.Zero ? -y : T.Zero,
            static (s, y) => T.One - y * s > T.Zero ? -s : T.Zero,
            static (s, y, ts, ty) =>
            {
                Tensor<T> violated;
                using (NoGrad.Scope()) violated = (T.One - y * s).GreaterThan(Scalar(T.Zero));
                return -(violated * Tangents.Plus(ts is null ? null : y * ts, ty is null ? null : s * ty)!);
            });

    /// <summary>
    /// The shared body of the element-wise losses: l = f(a, b) per element, reduced; backward scales ∂f/∂a, ∂f/∂b by dy.
    /// <paramref name="tangent"/> gives the per-element tangent ∂f/∂a·t_a + ∂f/∂b·t_b (a tangent may be null: zero)
    /// with tensor ops, reduced as the loss is.
    /// </summary>
    private static Tensor<T> ElementLoss(Tensor<T> a, Tensor<T> b, Reduction reduction, string name,
        Func<T, T, T> f, Func<T, T, T> dfa, Func<T, T, T> dfb, Func<Tensor<T>, Tensor<T>, Tensor<T>?, Tensor<T>?, Tensor<T>> tangent)
    {
        Limits.Defined(reduction, nameof(reduction));
        if (!a.ShapeArray.AsSpan().SequenceEqual(b.ShapeArray))
            throw new NablaException($"{name}: prediction of shape {Shapes.Format(a.ShapeArray)} and target of shape {Shapes.Format(b.ShapeArray)} differ; reshape one so they match");
        var sa = a.ContiguousSpan();
        var sb = b.ContiguousSpan();
        int n = sa.Length;
        Tensor<T> y;
        if (reduction == Reduction.None)
        {
            var l = BufferPool<T>.Rent(n);
            for (int i = 0; i < n; i++) l[i] = f(sa[i], sb[i]);
            y = new Tensor<T>(l, a.ShapeArray);
        }
        else
        {
            T sum = T.Zero;
            for (int i = 0; i < n; i++) sum += f(sa[i], sb[i]);
            y = Scalar(reduction == Reduction.Mean ? sum / T.CreateTruncating(n) : sum);
        }
        if (!Recording(a, b)) return y;
        return Record(y, name, [a, b], saved: [a, b], (dy, sink) =>
        {
            var d = dy.ContiguousSpan();
            T scale = reduction == Reduction.None ? T.One : reduction == Reduction.Mean ? d[0] / T.CreateTruncating(n) : d[0];
            var xa = a.ContiguousSpan();
            var xb = b.ContiguousSpan();
            for (int input = 0; input < 2; input++)
            {
                if (!sink.Needs(input)) continue;
                var partial = input == 0 ? dfa : dfb;
                var g = sink.Buffer(input);
                for (int i = 0; i < g.Length; i++)
                    g[i] += partial(xa[i], xb[i]) * (reduction == Reduction.None ? d[i] : scale);
            }
        }, ts =>
        {
            var t = tangent(a, b, ts[0], ts[1]);
            return reduction switch { Reduction.None => t, Reduction.Mean => t.Sum() / T.CreateTruncating(n), _ => t.Sum() };
        });
    }
}
