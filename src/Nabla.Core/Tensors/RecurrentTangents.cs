using System.Numerics;
using static Nabla.Tensors.Tangents;

namespace Nabla.Tensors;

/// <summary>
/// The tangent (forward-mode) rules of the recurrent layer ops, written with tensor ops one step at a time: each step
/// recomputes its gates from the op's inputs and carries (h, c) and their tangents (th, tc) forward, as dual numbers
/// would. Slow next to the fused kernels, but forward mode is not the training path, and because every piece is a
/// recorded op, a reverse pass over the tangent gives second derivatives. Tangent slots are, in order: input,
/// W_ih, W_hh, b_ih, b_hh, h0, c0 (null where zero).
/// </summary>
internal static class RecurrentTangents
{
    /// <summary>The tangent of <see cref="Tensor{T}.RnnLayer"/>'s output.</summary>
    public static Tensor<T>? Rnn<T>(bool batchFirst, bool relu, Tensor<T> x, Tensor<T> wih, Tensor<T> whh, Tensor<T>? bih, Tensor<T>? bhh,
        Tensor<T>? h0, Tensor<T>?[] ts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = x.Shape[batchFirst ? 1 : 0];
        Tensor<T>? h = h0, th = ts[5];
        var outs = new Tensor<T>?[steps];
        for (int t = 0; t < steps; t++)
        {
            var (a, ta) = InputSide(x, batchFirst, t, wih, bih, ts);
            var (ah, tah) = HiddenSide(h, th, whh, bhh, ts);
            if (ah is not null) a += ah;
            ta = Plus(ta, tah);
            h = relu ? a.Relu() : a.Tanh();
            var slope = relu ? h.GreaterThan(Tensor<T>.Zeros(1)) : T.One - h * h;
            th = outs[t] = Times(slope, ta);
        }
        return Sequence(outs, x, whh.Shape[1], batchFirst);
    }

    /// <summary>The tangent of the LSTM op's packed output: every h_t (the input's layout), then c_T.</summary>
    public static Tensor<T>? Lstm<T>(bool batchFirst, Tensor<T> x, Tensor<T> wih, Tensor<T> whh, Tensor<T>? bih, Tensor<T>? bhh,
        Tensor<T>? h0, Tensor<T>? c0, Tensor<T>?[] ts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = x.Shape[batchFirst ? 1 : 0], H = whh.Shape[1];
        Tensor<T>? h = h0, c = c0, th = ts[5], tc = ts[6];
        var outs = new Tensor<T>?[steps];
        for (int t = 0; t < steps; t++)
        {
            var (a, ta) = InputSide(x, batchFirst, t, wih, bih, ts);
            var (ah, tah) = HiddenSide(h, th, whh, bhh, ts);
            if (ah is not null) a += ah;
            ta = Plus(ta, tah);
            var i = Gate(a, 0, H).Sigmoid();
            var f = Gate(a, 1, H).Sigmoid();
            var g = Gate(a, 2, H).Tanh();
            var o = Gate(a, 3, H).Sigmoid();
            var ti = Times(i * (T.One - i), Block(ta, 0, H));
            var tf = Times(f * (T.One - f), Block(ta, 1, H));
            var tg = Times(T.One - g * g, Block(ta, 2, H));
            var to = Times(o * (T.One - o), Block(ta, 3, H));
            var cNew = c is null ? i * g : f * c + i * g;
            tc = Sum(c is null ? null : Times(c, tf), Times(f, tc), Times(g, ti), Times(i, tg));
            var tanhC = cNew.Tanh();
            h = o * tanhC;
            th = outs[t] = Sum(Times(tanhC, to), Times(o * (T.One - tanhC * tanhC), tc));
            c = cNew;
        }
        var output = Sequence(outs, x, H, batchFirst);
        if (output is null && tc is null) return null;
        int n = x.Shape[batchFirst ? 0 : 1];
        var flat = output ?? Tensor<T>.Zeros(steps * n * H);
        return Concat([flat, tc ?? Tensor<T>.Zeros(n, H)], [steps * n * H + n * H]);
    }

    /// <summary>The tangent of <see cref="Tensor{T}.GruLayer"/>'s output.</summary>
    public static Tensor<T>? Gru<T>(bool batchFirst, Tensor<T> x, Tensor<T> wih, Tensor<T> whh, Tensor<T>? bih, Tensor<T>? bhh,
        Tensor<T>? h0, Tensor<T>?[] ts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = x.Shape[batchFirst ? 1 : 0], H = whh.Shape[1];
        Tensor<T>? h = h0, th = ts[5];
        var outs = new Tensor<T>?[steps];
        for (int t = 0; t < steps; t++)
        {
            var (gi, tgi) = InputSide(x, batchFirst, t, wih, bih, ts);
            var (gh, tgh) = HiddenSide(h, th, whh, bhh, ts);
            var ghn = gh is null ? null : Gate(gh, 2, H);
            var r = (gh is null ? Gate(gi, 0, H) : Gate(gi, 0, H) + Gate(gh, 0, H)).Sigmoid();
            var z = (gh is null ? Gate(gi, 1, H) : Gate(gi, 1, H) + Gate(gh, 1, H)).Sigmoid();
            var n = (ghn is null ? Gate(gi, 2, H) : Gate(gi, 2, H) + r * ghn).Tanh();
            var tr = Times(r * (T.One - r), Plus(Block(tgi, 0, H), Block(tgh, 0, H)));
            var tz = Times(z * (T.One - z), Plus(Block(tgi, 1, H), Block(tgh, 1, H)));
            var tn = Times(T.One - n * n, Sum(Block(tgi, 2, H), ghn is null ? null : Times(ghn, tr), Times(r, Block(tgh, 2, H))));
            th = outs[t] = Sum(Times(T.One - z, tn), Times(h is null ? -n : h - n, tz), Times(z, th));
            h = h is null ? (T.One - z) * n : n + z * (h - n);
        }
        return Sequence(outs, x, H, batchFirst);
    }

    /// <summary>
    /// The elements of <paramref name="parts"/> one after another (each in row-major order), in <paramref name="shape"/>:
    /// the stacking op behind the tangents above and the layers' final states. Linear: backward hands each part its slice
    /// of dy, the tangent is the same concatenation of the parts' tangents.
    /// </summary>
    public static Tensor<T> Concat<T>(Tensor<T>[] parts, int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int total = 0;
        foreach (var p in parts) total += p.ElementCount;
        if (total != Shapes.ElementCount(shape))
            throw new NablaException($"concat: {total} elements cannot fill shape {Shapes.Format(shape)}");
        var data = new T[total];
        int offset = 0;
        foreach (var p in parts) { p.ContiguousSpan().CopyTo(data.AsSpan(offset)); offset += p.ElementCount; }
        var y = new Tensor<T>(data, shape);
        if (!Tensor<T>.Recording(parts)) return y;
        return Tensor<T>.Record(y, "concat", parts, saved: [], (dy, sink) =>
        {
            var d = dy.ContiguousSpan();
            int at = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                int count = parts[i].ElementCount;
                if (sink.Needs(i)) sink.Add(i, new Tensor<T>(d.Slice(at, count).ToArray(), parts[i].ShapeArray), owned: true);
                at += count;
            }
        }, tangents => Concat([.. tangents.Select((t, i) => t ?? Tensor<T>.Zeros(parts[i].ShapeArray))], shape));
    }

    /// <summary>x_t·W_ihᵀ + b_ih for step t, and its tangent.</summary>
    private static (Tensor<T> Value, Tensor<T>? Tangent) InputSide<T>(Tensor<T> x, bool batchFirst, int t, Tensor<T> wih, Tensor<T>? bih,
        Tensor<T>?[] ts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int axis = batchFirst ? 1 : 0;
        var xt = x.Select(axis, t);
        var value = Tensor<T>.Linear(xt, wih, bih);
        var tangent = Sum(ts[0] is null ? null : Tensor<T>.Linear(ts[0]!.Select(axis, t), wih), ts[1] is null ? null : Tensor<T>.Linear(xt, ts[1]!), ts[3]);
        return (value, tangent);
    }

    /// <summary>h·W_hhᵀ + b_hh (null when h and b_hh are both absent: zero), and its tangent.</summary>
    private static (Tensor<T>? Value, Tensor<T>? Tangent) HiddenSide<T>(Tensor<T>? h, Tensor<T>? th, Tensor<T> whh, Tensor<T>? bhh,
        Tensor<T>?[] ts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = h is null ? bhh : Tensor<T>.Linear(h, whh, bhh);
        var tangent = Sum(th is null ? null : Tensor<T>.Linear(th, whh), h is null || ts[2] is null ? null : Tensor<T>.Linear(h, ts[2]!), ts[4]);
        return (value, tangent);
    }

    /// <summary>Gate block k (H columns) of a [.., k·H] tensor.</summary>
    private static Tensor<T> Gate<T>(Tensor<T> a, int k, int H) where T : unmanaged, IFloatingPointIeee754<T> => a.Slice(-1, k * H, (k + 1) * H);

    /// <summary>Gate block k of a tangent; null (zero) stays null.</summary>
    private static Tensor<T>? Block<T>(Tensor<T>? a, int k, int H) where T : unmanaged, IFloatingPointIeee754<T> => a?.Slice(-1, k * H, (k + 1) * H);

    /// <summary>a⊙t, null when t is (a zero tangent).</summary>
    private static Tensor<T>? Times<T>(Tensor<T> a, Tensor<T>? t) where T : unmanaged, IFloatingPointIeee754<T> => t is null ? null : a * t;

    /// <summary>The step tangents stacked in the input's layout ([T, N, H] or [N, T, H]); zeros for null steps, null when all are.</summary>
    private static Tensor<T>? Sequence<T>(Tensor<T>?[] steps, Tensor<T> x, int hidden, bool batchFirst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (steps.All(s => s is null)) return null;
        int n = x.Shape[batchFirst ? 0 : 1];
        var parts = steps.Select(s => s is null ? Tensor<T>.Zeros(n, hidden) : s.Expand(n, hidden)).ToArray();
        var stacked = Concat(parts, [steps.Length, n, hidden]);
        return batchFirst ? stacked.Transpose(0, 1) : stacked;
    }
}
