using Nabla.Ops;
using T = Nabla.Tensors.Tensor<double>;

namespace Nabla.Tensors;

internal static partial class TensorOpTable
{
    /// <summary>
    /// Masking, triangles and attention (the sequence models' ops). Masks are built inside each row from the input's
    /// shape, so they are constants; every attention row keeps at least one visible key per query, except the row that
    /// hides a whole row on purpose (its output and gradient are 0 there).
    /// </summary>
    private static void AddSequenceRows(List<TensorOpInfo> rows)
    {
        var any = Domain.Everywhere;
        void Row(string name, string member, Func<T[], T> f, params int[][][] shapes) =>
            rows.Add(new(name, member, f, shapes, [.. Enumerable.Repeat(any, shapes[0].Length)]));

        // Masking: a mask broadcast from the last dimension, −∞ before a softmax (exact zeros, finite gradients), triangles.
        Row("masked_fill", "MaskedFill", x => x[0].MaskedFill(Checker([x[0].Shape[^1]]), 0.5).Sin(), S([[2, 3]], [[2, 3, 4]]));
        Row("masked_fill(-inf) then softmax", "MaskedFill",
            x => x[0].MaskedFill(T.CausalMask(x[0].Shape[^2], x[0].Shape[^1]), double.NegativeInfinity).Softmax() * T.Arange(x[0].Shape[^1]),
            S([[3, 3]], [[2, 4, 5]]));
        Row("causal_mask", "CausalMask", x => x[0].MaskedFill(T.CausalMask(x[0].Shape[^2]), -2.0).Sin(), S([[4, 4]]));
        Row("tril", "Tril", x => x[0].Tril().Sin() + x[0].Tril(-1).Exp(), S([[3, 4]], [[2, 3, 3]]));
        Row("triu", "Triu", x => x[0].Triu().Sin() + x[0].Triu(2).Exp(), S([[4, 3]], [[2, 3, 3]]));

        // Element-wise entry points of the GELU family (the op structs have their rows from OpTable).
        Row("erf", "Erf", x => x[0].Erf(), S([[2, 3]]));
        Row("gelu", "Gelu", x => x[0].Gelu(), S([[2, 3]]));
        Row("gelu_tanh", "GeluTanh", x => x[0].GeluTanh(), S([[2, 3]]));

        // Attention: L ≠ S, any leading dimensions, Ev ≠ E; causal with L > S and L < S; an additive mask.
        int[][][] plain = S([[3, 2], [5, 2], [5, 3]], [[2, 3, 4], [2, 5, 4], [2, 5, 3]], [[1, 2, 2, 3], [1, 2, 4, 3], [1, 2, 4, 2]]);
        Row("scaled_dot_product_attention", "ScaledDotProductAttention", x => T.ScaledDotProductAttention(x[0], x[1], x[2]), plain);
        Row("scaled_dot_product_attention(causal)", "ScaledDotProductAttention",
            x => T.ScaledDotProductAttention(x[0], x[1], x[2], causal: true),
            S([[2, 4, 3], [2, 4, 3], [2, 4, 2]], [[2, 5, 2], [2, 3, 2], [2, 3, 3]], [[2, 3, 2], [2, 5, 2], [2, 5, 3]]));
        Row("scaled_dot_product_attention(mask)", "ScaledDotProductAttention",
            x => T.ScaledDotProductAttention(x[0], x[1], x[2], mask: AdditiveMask(x[0].Shape[^2], x[1].Shape[^2], hideRow: false)), plain);
        Row("scaled_dot_product_attention(causal, mask, scale, a hidden row)", "ScaledDotProductAttention",
            x => T.ScaledDotProductAttention(x[0], x[1], x[2], causal: true, mask: AdditiveMask(x[0].Shape[^2], x[1].Shape[^2], hideRow: true), scale: 0.7),
            S([[2, 4, 3], [2, 5, 3], [2, 5, 2]]));
        Row("scaled_dot_product_attention(qkv)", "ScaledDotProductAttention", x => T.ScaledDotProductAttention(x[0], heads: 2), S([[2, 3, 12]], [[1, 4, 6]]));
        Row("scaled_dot_product_attention(qkv, causal)", "ScaledDotProductAttention",
            x => T.ScaledDotProductAttention(x[0], heads: 2, causal: true, scale: 0.8), S([[2, 4, 12]], [[1, 5, 6]]));
        Row("scaled_dot_product_attention(reference composition)", "ScaledDotProductAttention",
            x => AttentionComposition(x[0], x[1], x[2], AdditiveMask(x[0].Shape[^2], x[1].Shape[^2], hideRow: false)), S([[2, 3, 4], [2, 5, 4], [2, 5, 3]]));
    }

    /// <summary>
    /// An additive mask [L, S]: −∞ where (i + j) mod 3 = 1 and j &gt; 0 (key 0 stays visible), 0.1·(i − j) elsewhere; with
    /// <paramref name="hideRow"/> row 1 is entirely −∞.
    /// </summary>
    internal static T AdditiveMask(int l, int s, bool hideRow)
    {
        var data = new double[l * s];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < s; j++)
                data[i * s + j] = (hideRow && i == 1) || ((i + j) % 3 == 1 && j > 0) ? double.NegativeInfinity : 0.1 * (i - j);
        return new T(data, l, s);
    }

    /// <summary>The plain form the fused attention must equal: softmax(Q·Kᵀ/√E + mask)·V from MatMul, Softmax and the add.</summary>
    internal static T AttentionComposition(T q, T k, T v, T mask) =>
        ((q.MatMul(k.Transpose(-2, -1)) * (1 / Math.Sqrt(q.Shape[^1])) + mask).Softmax(-1)).MatMul(v);
}
