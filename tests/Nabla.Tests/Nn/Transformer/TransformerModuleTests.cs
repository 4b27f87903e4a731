using Nabla.Nn;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Tests.Nn.Transformer;

/// <summary>The transformer modules' names, masks, dropout, tied saving and their refusals of bad input.</summary>
public sealed class TransformerModuleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-transformer-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Tensor<double> Randn(RandomState rng, params int[] shape) => new(rng.StandardNormal(shape), shape);

    [Fact]
    public void PositionalEmbedding_adds_the_first_T_rows_to_every_sequence()
    {
        var rng = new RandomState(1);
        var pe = new PositionalEmbedding<double>(6, 3, rng);
        var x = Randn(rng, 2, 4, 3);
        var y = pe.Forward(x);
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 4; t++)
                for (int c = 0; c < 3; c++) Assert.Equal(x[b, t, c] + pe.Weight[t, c], y[b, t, c]);
        y.Sum().Backward();
        for (int t = 0; t < 6; t++) Assert.Equal(t < 4 ? 2.0 : 0.0, pe.Weight.Grad![t, 0]);
        Assert.Equal(["weight"], pe.NamedParameters().Select(kv => kv.Key));
    }

    [Fact]
    public void PositionalEmbedding_refuses_a_sequence_longer_than_its_table_naming_both()
    {
        var pe = new PositionalEmbedding<double>(4, 3, new RandomState(1));
        var e = Assert.Throws<NablaArgumentException>(() => pe.Forward(Tensor<double>.Zeros(1, 5, 3)));
        Assert.Contains("5 positions", e.Message);
        Assert.Contains("maxLength = 4", e.Message);
        Assert.Contains("[.., T, 3]", Assert.Throws<NablaArgumentException>(() => pe.Forward(Tensor<double>.Zeros(1, 2, 4))).Message);
        Assert.Throws<NablaArgumentException>(() => new PositionalEmbedding<double>(0, 3));
    }

    [Fact]
    public void GptBlock_has_nanogpt_names_and_is_causal()
    {
        var rng = new RandomState(2);
        var block = new GptBlock<double>(8, 2, rng);
        Assert.Equal(["ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
            "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias"], block.StateDict().Keys);
        Assert.Equal(["ln_1.weight", "attn.c_attn.weight", "attn.c_proj.weight", "ln_2.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"],
            new GptBlock<double>(8, 2, rng, bias: false).StateDict().Keys);
        // Changing the last position must leave every earlier output unchanged.
        var x = Randn(rng, 1, 5, 8);
        var changed = x.Clone();
        for (int c = 0; c < 8; c++) changed[0, 4, c] += 1;
        var (y, z) = (block.Forward(x), block.Forward(changed));
        for (int t = 0; t < 4; t++)
            for (int c = 0; c < 8; c++) Assert.Equal(y[0, t, c], z[0, t, c], 1e-12);
        Assert.NotEqual(y[0, 4, 0], z[0, 4, 0]);
        Assert.Throws<NablaArgumentException>(() => new GptBlock<double>(8, 3));
        Assert.Contains("[B, T, 8]", Assert.Throws<NablaArgumentException>(() => block.Forward(Tensor<double>.Zeros(5, 8))).Message);
    }

    [Fact]
    public void Dropout_in_training_keeps_shape_and_mean_and_is_off_in_eval()
    {
        var rng = new RandomState(3);
        var block = new GptBlock<double>(16, 2, rng, dropout: 0.5);
        var x = Randn(rng, 2, 6, 16);
        var train = block.Forward(x);
        Assert.Equal([2, 6, 16], train.Shape);
        block.Eval();
        var eval = block.Forward(x);
        Assert.NotEqual(train.ToArray(), eval.ToArray());
        block.Train();
        // Inverted dropout keeps the expected value: averaged over many draws, the training output approaches eval's.
        var mean = new double[eval.ElementCount];
        const int draws = 400;
        for (int i = 0; i < draws; i++)
        {
            var y = block.Forward(x).ToArray();
            for (int k = 0; k < mean.Length; k++) mean[k] += y[k] / draws;
        }
        double err = mean.Zip(eval.ToArray(), (a, b) => Math.Abs(a - b)).Average(), scale = eval.ToArray().Average(Math.Abs);
        Assert.True(err < 0.1 * scale, $"mean |E[train] − eval| = {err}, mean |eval| = {scale}");
    }

    [Fact]
    public void A_fully_masked_query_gets_zero_output_and_gradient_not_NaN()
    {
        var rng = new RandomState(4);
        var mha = new MultiheadAttention<double>(4, 2, batchFirst: true, rng: rng);
        var x = Randn(rng, 1, 3, 4).RequireGrad();
        var mask = Tensor<double>.Zeros(3, 3);
        for (int s = 0; s < 3; s++) mask[1, s] = 1;   // query 1 may see no key
        var (y, _) = mha.Forward(x, x, x, attnMask: mask);
        var bias = mha.OutProj.Bias!;
        for (int c = 0; c < 4; c++) Assert.Equal(bias[c], y[0, 1, c]);   // attention 0, so only out_proj's bias remains
        y.Sum().Backward();
        Assert.All(x.Grad!.ToArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void MultiheadAttention_refuses_bad_shapes_and_masks_naming_them()
    {
        var mha = new MultiheadAttention<double>(8, 2, rng: new RandomState(5));
        var x = Tensor<double>.Zeros(5, 2, 8);
        Assert.Contains("E = 8", Assert.Throws<NablaArgumentException>(() => mha.Forward(Tensor<double>.Zeros(5, 2, 6))).Message);
        Assert.Contains("[N, S] = [2, 5]", Assert.Throws<NablaArgumentException>(() => mha.Forward(x, x, x, keyPaddingMask: Tensor<double>.Zeros(5, 2))).Message);
        Assert.Contains("[N·heads, L, S] = [4, 5, 5]", Assert.Throws<NablaArgumentException>(() => mha.Forward(x, x, x, attnMask: Tensor<double>.Zeros(2, 5, 5))).Message);
        var e = Assert.Throws<NablaArgumentException>(() => mha.Forward(x, Tensor<double>.Zeros(4, 3, 8), Tensor<double>.Zeros(4, 3, 8)));
        Assert.Contains("(4, 3, 8)", e.Message.Replace("[", "(").Replace("]", ")"));
        Assert.Equal("numHeads", Assert.Throws<NablaArgumentException>(() => new MultiheadAttention<double>(8, 3)).Parameter);
        Assert.Throws<NablaArgumentException>(() => new MultiheadAttention<double>(8, 2, dropout: 1.5));
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], mha.StateDict().Keys);
    }

    [Fact]
    public void MultiheadAttention_init_is_pytorchs()
    {
        var mha = new MultiheadAttention<double>(32, 4, rng: new RandomState(6));
        double xavier = Math.Sqrt(6.0 / (32 + 96)), linear = 1 / Math.Sqrt(32);
        Assert.All(mha.InProjWeight.ToArray(), v => Assert.InRange(Math.Abs(v), 0, xavier));
        Assert.True(mha.InProjWeight.ToArray().Max(Math.Abs) > 0.9 * xavier);
        Assert.All(mha.OutProj.Weight.ToArray(), v => Assert.InRange(Math.Abs(v), 0, linear));
        Assert.All(mha.InProjBias!.ToArray().Concat(mha.OutProj.Bias!.ToArray()), v => Assert.Equal(0, v));
    }

    [Fact]
    public void A_tied_weight_is_saved_once_under_the_first_name_and_loads_from_either()
    {
        var cfg = new GptConfig(VocabSize: 9, BlockSize: 4, Layers: 1, Heads: 2, Width: 4);
        var gpt = new Gpt<double>(cfg, new RandomState(7));
        Assert.Equal([["transformer.wte.weight", "lm_head.weight"]], StateDicts.TiedNames(gpt));
        string path = Path.Combine(_dir, "gpt.safetensors");
        StateDicts.Save(gpt, path);
        var file = SafetensorsFile.Load(path);
        Assert.Contains("lm_head.weight", file.Names);
        Assert.DoesNotContain("transformer.wte.weight", file.Names);
        Assert.Equal("lm_head.weight", file.Metadata["transformer.wte.weight"]);

        var loaded = new Gpt<double>(cfg, new RandomState(8));
        StateDicts.Load(loaded, path);
        Assert.Equal(gpt.TokenEmbedding.ToArray(), loaded.TokenEmbedding.ToArray());
        var ids = IndexTensor.FromArray([1, 2, 8], 1, 3);
        Assert.Equal(gpt.Forward(ids).ToArray(), loaded.Forward(ids).ToArray());

        // The other name alone, and both names with different values.
        var state = gpt.StateDict();
        state.Remove("lm_head.weight");
        string other = Path.Combine(_dir, "other.safetensors");
        SafetensorsFile.Save(other, StateDicts.ToSafeTensors(state));
        var fromOther = new Gpt<double>(cfg, new RandomState(9));
        StateDicts.Load(fromOther, other);
        Assert.Equal(gpt.TokenEmbedding.ToArray(), fromOther.TokenEmbedding.ToArray());
        var both = gpt.StateDict();
        both["lm_head.weight"] = both["lm_head.weight"] + 1.0;
        string bad = Path.Combine(_dir, "bad.safetensors");
        SafetensorsFile.Save(bad, StateDicts.ToSafeTensors(both));
        var ex = Assert.Throws<NablaException>(() => StateDicts.Load(new Gpt<double>(cfg, new RandomState(9)), bad));
        Assert.Contains("\"transformer.wte.weight\" and \"lm_head.weight\"", ex.Message);
    }

    [Fact]
    public void Gpt_refuses_bad_ids_and_configs()
    {
        var gpt = new Gpt<double>(new GptConfig(VocabSize: 5, BlockSize: 4, Layers: 1, Heads: 2, Width: 4), new RandomState(10));
        Assert.Contains("block size is 4", Assert.Throws<NablaArgumentException>(() => gpt.Forward(IndexTensor.Zeros(1, 5))).Message);
        Assert.Contains("[B, T]", Assert.Throws<NablaArgumentException>(() => gpt.Forward(IndexTensor.Zeros(5))).Message);
        Assert.Contains("[0, 5)", Assert.Throws<NablaException>(() => gpt.Forward(IndexTensor.FromArray([0, 5], 1, 2))).Message);
        Assert.Contains("not a row index", Assert.Throws<NablaException>(() => gpt.Forward(new Tensor<double>([0.5, 1], 1, 2))).Message);
        Assert.Equal([1, 2, 5], gpt.Forward(new Tensor<double>([3, 1], 1, 2)).Shape);
        Assert.Equal("Heads", Assert.Throws<NablaArgumentException>(() => new Gpt<double>(new GptConfig(5, 4, 1, 3, 4))).Parameter);
        Assert.Equal("VocabSize", Assert.Throws<NablaArgumentException>(() => new Gpt<double>(new GptConfig(0, 4, 1, 2, 4))).Parameter);
    }
}
