using System.Numerics;
using Nabla.Nn;

namespace Nabla.Onnx;

/// <summary>
/// A <see cref="GptBlock{T}"/> in ONNX operators, as <see cref="CausalSelfAttention{T}"/> and <see cref="GptMlp{T}"/>
/// compute it: x + attn(ln_1(x)), then + mlp(ln_2(·)). The attention splits c_attn's [B, T, 3C] output into q, k, v,
/// each Reshape [B, T, heads, hs] and Transpose to [B, heads, T, hs]; scores = q·kᵀ·(1/√hs), plus the causal mask (a
/// constant [context, context] of 0 on and below the diagonal and −∞ above, cut to [T, T]), Softmax over the last axis,
/// ·v, heads side by side again, c_proj. The MLP's GELU is 0.5·z·(1 + erf(z/√2)) (in float32 in a float64 graph: ONNX
/// Runtime has no float64 Erf).
/// </summary>
internal static class OnnxGptBlock
{
    public static string Add<T>(TextGraph g, string x, string name, GptBlock<T> block) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var graph = g.Graph;
        var attention = block.Attention;
        var norms = block.Children().Where(c => c.Name is "ln_1" or "ln_2").ToDictionary(c => c.Name, c => c.Module);
        string Norm(string input, string child)
        {
            var parameters = norms[child].NamedParameters().ToDictionary(kv => kv.Key, kv => kv.Value);
            List<string> inputs = [input, g.Param($"{name}.{child}.weight", parameters["weight"])];
            if (parameters.TryGetValue("bias", out var bias)) inputs.Add(g.Param($"{name}.{child}.bias", bias));
            // Both norms are nanoGPT's: eps 1e-5 (LayerNorm's default, BiasFreeLayerNorm's constant).
            double eps = norms[child] is LayerNorm<T> n ? n.Eps : 1e-5;
            return graph.Node("LayerNormalization", $"{name}.{child}_out", inputs, new AttributeProto("axis", -1L), new AttributeProto("epsilon", (float)eps));
        }

        int width = attention.Width, heads = attention.Heads, hs = width / heads;
        string qkv = g.Linear(Norm(x, "ln_1"), $"{name}.attn.c_attn", attention.CAttn);
        var split = graph.Integers($"{name}.attn.split", [width, width, width]);
        string[] parts = [$"{name}.attn.q", $"{name}.attn.k", $"{name}.attn.v"];
        graph.Nodes.Add(new NodeProto { OpType = "Split", Name = $"{name}.attn.split_qkv", Input = [qkv, split], Output = [.. parts], Attribute = [new AttributeProto("axis", 2L)] });
        string headShape = graph.Integers($"{name}.attn.head_shape", [0, 0, heads, hs]);
        string Heads(string part, long[] perm) =>
            graph.Node("Transpose", $"{part}_heads", [graph.Node("Reshape", $"{part}_split", [part, headShape])], new AttributeProto("perm", perm));
        string q = Heads(parts[0], [0, 2, 1, 3]), kT = Heads(parts[1], [0, 2, 3, 1]), v = Heads(parts[2], [0, 2, 1, 3]);
        string scores = graph.Node("Mul", $"{name}.attn.scores", [graph.Node("MatMul", $"{name}.attn.qk", [q, kT]), g.Scalar($"{name}.attn.scale", 1 / Math.Sqrt(hs))]);
        string masked = graph.Node("Add", $"{name}.attn.masked", [scores, CausalMask(g)]);
        string p = graph.Node("Softmax", $"{name}.attn.probabilities", [masked], new AttributeProto("axis", -1L));
        string joined = graph.Node("Reshape", $"{name}.attn.joined",
            [graph.Node("Transpose", $"{name}.attn.y", [graph.Node("MatMul", $"{name}.attn.pv", [p, v])], new AttributeProto("perm", [0L, 2L, 1L, 3L])),
             graph.Integers($"{name}.attn.joined_shape", [0, 0, width])]);
        string attended = graph.Node("Add", $"{name}.attn_residual", [x, g.Linear(joined, $"{name}.attn.c_proj", attention.CProj)]);

        string hidden = g.Linear(Norm(attended, "ln_2"), $"{name}.mlp.c_fc", block.Mlp.CFc);
        string mlp = g.Linear(Gelu(g, hidden, $"{name}.mlp.gelu"), $"{name}.mlp.c_proj", block.Mlp.CProj);
        return graph.Node("Add", $"{name}_out", [attended, mlp]);
    }

    /// <summary>0.5·z·(1 + erf(z/√2)); erf in float32 between Casts in a float64 graph.</summary>
    private static string Gelu(TextGraph g, string z, string name)
    {
        var graph = g.Graph;
        string scaled = graph.Node("Mul", $"{name}_scaled", [z, g.Scalar($"{name}_rsqrt2", 1 / Math.Sqrt(2))]);
        string erf;
        if (g.IsDouble)
        {
            string single = graph.Node("Cast", $"{name}_float32", [scaled], new AttributeProto("to", (long)OnnxDataType.Float));
            erf = graph.Node("Cast", $"{name}_erf", [graph.Node("Erf", $"{name}_erf_float32", [single])], new AttributeProto("to", (long)OnnxDataType.Double));
        }
        else erf = graph.Node("Erf", $"{name}_erf", [scaled]);
        string onePlus = graph.Node("Add", $"{name}_one_plus", [erf, g.Scalar($"{name}_one", 1)]);
        return graph.Node("Mul", $"{name}_out", [graph.Node("Mul", $"{name}_half_z", [z, g.Scalar($"{name}_half", 0.5)]), onePlus]);
    }

    // One mask for every block, cut to [T, T] once: 0 where key ≤ query, −∞ where key > query.
    private static string CausalMask(TextGraph g)
    {
        var graph = g.Graph;
        const string cut = "causal_mask_t";
        if (graph.Nodes.Any(n => n.Name == cut)) return cut;
        int context = g.Context;
        var values = new double[(long)context * context];
        for (int i = 0; i < context; i++)
            for (int j = i + 1; j < context; j++) values[(long)i * context + j] = double.NegativeInfinity;
        string mask = graph.Numbers("causal_mask", [context, context], values);
        string ends = graph.Node("Concat", "causal_mask_ends", [g.Length, g.Length], new AttributeProto("axis", 0L));
        return graph.Node("Slice", cut, [mask, graph.Integers("causal_mask_starts", [0, 0]), ends, graph.Integers("causal_mask_axes", [0, 1])]);
    }
}
