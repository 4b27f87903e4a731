using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels.Recurrent;

/// <summary>
/// The element-wise part of one time step of the recurrent layers, one batch row at a time, in PyTorch's gate order
/// (LSTM i, f, g, o; GRU r, z, n). The matrix products around them (x·W_ihᵀ for the whole sequence, h·W_hhᵀ per step)
/// are the caller's; these kernels turn a row of gate pre-activations into the new state and, backwards, a row of
/// state gradients into gate pre-activation gradients. A row has H elements per gate and stays in L1 throughout.
/// </summary>
internal static class RecurrentCells
{
    /// <summary>
    /// LSTM forward: <paramref name="gates"/> holds the 4H pre-activations a = x·W_ihᵀ + h·W_hhᵀ + b and is overwritten
    /// with i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o) (what backward reads); then c = f⊙c_prev + i⊙g and
    /// h = o⊙tanh(c). <paramref name="cPrev"/> empty means c_prev = 0.
    /// </summary>
    public static void LstmForward<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Length;
        TensorPrimitives.Sigmoid(gates[..(2 * n)], gates[..(2 * n)]);
        TensorPrimitives.Tanh(gates.Slice(2 * n, n), gates.Slice(2 * n, n));
        TensorPrimitives.Sigmoid(gates.Slice(3 * n, n), gates.Slice(3 * n, n));
        ReadOnlySpan<T> i = gates[..n], f = gates.Slice(n, n), g = gates.Slice(2 * n, n), o = gates.Slice(3 * n, n);
        TensorPrimitives.Multiply(i, g, c);
        if (!cPrev.IsEmpty) TensorPrimitives.FusedMultiplyAdd(f, cPrev, c, c);
        TensorPrimitives.Tanh(c, h);
        TensorPrimitives.Multiply(o, h, h);
    }

    /// <summary>
    /// LSTM backward for one row. In: the activated <paramref name="gates"/> i, f, g, o; the cell state
    /// <paramref name="c"/> of this step and <paramref name="cPrev"/> of the previous (empty: 0); dL/dh in
    /// <paramref name="dh"/>; dL/dc from later steps in <paramref name="dc"/>. Out: <paramref name="dGates"/> =
    /// dL/da for the four pre-activations, and <paramref name="dc"/> becomes dL/dc_prev = dc⊙f. <paramref name="scratch"/>
    /// (H elements) receives tanh(c), recomputed rather than stored.
    /// </summary>
    public static void LstmBackward<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> c, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh, Span<T> dc,
        Span<T> dGates, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Length;
        TensorPrimitives.Tanh(c, scratch);
        ReadOnlySpan<T> gi = gates[..n], gf = gates.Slice(n, n), gg = gates.Slice(2 * n, n), go = gates.Slice(3 * n, n);
        Span<T> di = dGates[..n], df = dGates.Slice(n, n), dg = dGates.Slice(2 * n, n), dO = dGates.Slice(3 * n, n);
        int j = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && !cPrev.IsEmpty)
        {
            var one = Vector<T>.One;
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
            {
                var tc = Load(scratch, j); var dhj = Load(dh, j);
                var i = Load(gi, j); var f = Load(gf, j); var g = Load(gg, j); var o = Load(go, j);
                var dcj = Load(dc, j) + dhj * o * (one - tc * tc);
                Store(dO, j, dhj * tc * o * (one - o));
                Store(di, j, dcj * g * i * (one - i));
                Store(df, j, dcj * Load(cPrev, j) * f * (one - f));
                Store(dg, j, dcj * i * (one - g * g));
                Store(dc, j, dcj * f);
            }
        }
        for (; j < n; j++)
        {
            T tc = scratch[j], dhj = dh[j], i = gi[j], f = gf[j], g = gg[j], o = go[j];
            T dcj = dc[j] + dhj * o * (T.One - tc * tc);
            dO[j] = dhj * tc * o * (T.One - o);
            di[j] = dcj * g * i * (T.One - i);
            df[j] = cPrev.IsEmpty ? T.Zero : dcj * cPrev[j] * f * (T.One - f);
            dg[j] = dcj * i * (T.One - g * g);
            dc[j] = dcj * f;
        }
    }

    /// <summary>
    /// GRU forward for one row. <paramref name="gates"/> holds the input side x·W_ihᵀ + b_ih (with b_hr, b_hz already
    /// added to the r and z blocks) and <paramref name="hidden"/> h_prev·W_hhᵀ (3H each, empty when h_prev = 0). The row
    /// becomes r = σ(·), z = σ(·), n = tanh(a_n + r⊙hn) with hn = W_hn·h_prev + b_hn written to <paramref name="hn"/>;
    /// h = (1 − z)⊙n + z⊙h_prev.
    /// </summary>
    public static void GruForward<T>(Span<T> gates, ReadOnlySpan<T> hidden, ReadOnlySpan<T> biasHn, ReadOnlySpan<T> hPrev, Span<T> hn, Span<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = h.Length;
        var rz = gates[..(2 * n)];
        if (!hidden.IsEmpty) TensorPrimitives.Add(rz, hidden[..(2 * n)], rz);
        TensorPrimitives.Sigmoid(rz, rz);
        if (hidden.IsEmpty) { if (biasHn.IsEmpty) hn.Clear(); else biasHn.CopyTo(hn); }
        else if (biasHn.IsEmpty) hidden.Slice(2 * n, n).CopyTo(hn);
        else TensorPrimitives.Add(hidden.Slice(2 * n, n), biasHn, hn);
        var nn = gates.Slice(2 * n, n);
        TensorPrimitives.FusedMultiplyAdd(gates[..n], hn, nn, nn);
        TensorPrimitives.Tanh(nn, nn);
        ReadOnlySpan<T> z = gates.Slice(n, n);
        if (hPrev.IsEmpty)
        {
            // h = (1 − z)⊙n = n − z⊙n
            TensorPrimitives.Multiply(z, nn, h);
            TensorPrimitives.Subtract(nn, h, h);
            return;
        }
        TensorPrimitives.Subtract(hPrev, nn, h);
        TensorPrimitives.FusedMultiplyAdd(z, h, nn, h);
    }

    /// <summary>
    /// GRU backward for one row. In: the activated <paramref name="gates"/> r, z, n, the saved <paramref name="hn"/>,
    /// <paramref name="hPrev"/> (empty: 0) and dL/dh in <paramref name="dh"/>, which is overwritten with the direct part
    /// of dL/dh_prev, dh⊙z. Out: <paramref name="dInput"/> = dL/d(input-side pre-activations) [dr, dz, dn] and
    /// <paramref name="dHidden"/> = dL/d(h_prev·W_hhᵀ + b_hh) [dr, dz, dn⊙r].
    /// </summary>
    public static void GruBackward<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> hn, ReadOnlySpan<T> hPrev, Span<T> dh, Span<T> dInput, Span<T> dHidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = hn.Length, j = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && !hPrev.IsEmpty)
        {
            var one = Vector<T>.One;
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
            {
                var r = Load(gates, j); var z = Load(gates, n + j); var nj = Load(gates, 2 * n + j); var dhj = Load(dh, j);
                var dn = dhj * (one - z) * (one - nj * nj);
                var dz = dhj * (Load(hPrev, j) - nj) * z * (one - z);
                var dr = dn * Load(hn, j) * r * (one - r);
                Store(dInput, j, dr); Store(dHidden, j, dr);
                Store(dInput, n + j, dz); Store(dHidden, n + j, dz);
                Store(dInput, 2 * n + j, dn);
                Store(dHidden, 2 * n + j, dn * r);
                Store(dh, j, dhj * z);
            }
        }
        for (; j < n; j++)
        {
            T r = gates[j], z = gates[n + j], nj = gates[2 * n + j], dhj = dh[j];
            T dn = dhj * (T.One - z) * (T.One - nj * nj);
            T dz = dhj * ((hPrev.IsEmpty ? T.Zero : hPrev[j]) - nj) * z * (T.One - z);
            T dr = dn * hn[j] * r * (T.One - r);
            dInput[j] = dHidden[j] = dr;
            dInput[n + j] = dHidden[n + j] = dz;
            dInput[2 * n + j] = dn;
            dHidden[2 * n + j] = dn * r;
            dh[j] = dhj * z;
        }
    }

    /// <summary>
    /// Elman RNN backward for one row: dL/da = dh⊙(1 − h²) for tanh or dh⊙[h &gt; 0] for relu, from the step's output
    /// <paramref name="h"/>, written into <paramref name="da"/>.
    /// </summary>
    public static void RnnBackward<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> dh, Span<T> da, bool relu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = h.Length, j = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
            {
                var hj = Load(h, j);
                Store(da, j, relu ? Vector.ConditionalSelect(Vector.GreaterThan(hj, Vector<T>.Zero), Load(dh, j), Vector<T>.Zero)
                    : Load(dh, j) * (Vector<T>.One - hj * hj));
            }
        }
        for (; j < n; j++) da[j] = relu ? (h[j] > T.Zero ? dh[j] : T.Zero) : dh[j] * (T.One - h[j] * h[j]);
    }

    private static Vector<T> Load<T>(ReadOnlySpan<T> s, int i) where T : unmanaged => new(s[i..]);
    private static Vector<T> Load<T>(Span<T> s, int i) where T : unmanaged => new(s[i..]);
    private static void Store<T>(Span<T> s, int i, Vector<T> v) where T : unmanaged => v.CopyTo(s[i..]);
}
