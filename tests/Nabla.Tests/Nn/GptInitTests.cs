using System.Globalization;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tests.Training;

namespace Nabla.Tests.Nn;

/// <summary>A text model built with gptblock layers gets nanoGPT's initialisation, as bench/torch_gpt.py draws it.</summary>
public sealed class GptInitTests
{
    [Fact]
    public void Weights_follow_nanoGPTs_normal_laws_and_biases_and_norms_start_at_zero_and_one()
    {
        const int width = 64, blocks = 3;
        var net = Architecture.BuildText<double>("embedding 64, posembed, gptblock 4, gptblock 4, gptblock 4, layernorm, linear 50", 50, 32, new RandomState(3));
        double projStd = 0.02 / Math.Sqrt(2 * blocks);
        var state = net.StateDict();
        void Normal(string name, double std)
        {
            var v = state[name].ToArray();
            double mean = v.Average(), sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
            // Sampling error: the mean within 5 standard errors, the standard deviation within 5·std/√(2n) of the law's.
            Assert.True(Math.Abs(mean) < 5 * std / Math.Sqrt(v.Length), $"{name}: mean {mean:R} over {v.Length} values, law N(0, {std}²)");
            Assert.True(Math.Abs(sd - std) < 5 * std / Math.Sqrt(2.0 * v.Length), $"{name}: standard deviation {sd:R} over {v.Length} values, law N(0, {std}²)");
        }
        void Constant(string name, double value) => Assert.All(state[name].ToArray(), x => Assert.Equal(value, x));
        Normal("0.weight", 0.02);
        Normal("1.weight", 0.02);
        for (int b = 2; b < 2 + blocks; b++)
        {
            Normal($"{b}.attn.c_attn.weight", 0.02);
            Normal($"{b}.attn.c_proj.weight", projStd);
            Normal($"{b}.mlp.c_fc.weight", 0.02);
            Normal($"{b}.mlp.c_proj.weight", projStd);
            foreach (var bias in new[] { "attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj", "ln_1", "ln_2" }) Constant($"{b}.{bias}.bias", 0);
            Constant($"{b}.ln_1.weight", 1);
            Constant($"{b}.ln_2.weight", 1);
        }
        Constant("5.weight", 1);
        Constant("5.bias", 0);
        Normal("6.weight", 0.02);
        Constant("6.bias", 0);
        Assert.Equal(width, state["0.weight"].Shape[1]);
    }

    [Fact]
    public void The_draws_equal_torch_gpt_pys_make_init_order_from_numpy_with_the_same_seed()
    {
        if (!Python.Has("numpy")) Assert.Skip("/usr/bin/python3 with numpy is not installed, so the draws were not compared.");
        const int vocabulary = 11, context = 8, width = 16, seed = 5;
        var net = Architecture.BuildText<double>("embedding 16, posembed, gptblock 2, gptblock 4, layernorm, linear tied", vocabulary, context, new RandomState(seed));
        var state = net.StateDict();
        string[] order = ["0.weight", "1.weight", .. new[] { 2, 3 }.SelectMany(b => new[] { $"{b}.attn.c_attn.weight", $"{b}.attn.c_proj.weight", $"{b}.mlp.c_fc.weight", $"{b}.mlp.c_proj.weight" })];
        var actual = order.SelectMany(n => state[n].ToArray()).ToArray();
        // make_init of bench/torch_gpt.py (shapes (out, in), C order), for V = 11, T = 8, d = 16 and two blocks.
        string printed = Python.Run("-c", $"""
            import math, numpy as np
            rs = np.random.RandomState({seed}); V, T, D, L = {vocabulary}, {context}, {width}, 2
            std, proj = 0.02, 0.02 / math.sqrt(2 * L)
            parts = [rs.normal(0.0, std, size=(V, D)), rs.normal(0.0, std, size=(T, D))]
            for _ in range(L):
                parts += [rs.normal(0.0, std, size=(3 * D, D)), rs.normal(0.0, proj, size=(D, D)), rs.normal(0.0, std, size=(4 * D, D)), rs.normal(0.0, proj, size=(D, 4 * D))]
            print(" ".join(repr(float(x)) for p in parts for x in p.ravel()))
            """);
        var expected = printed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(expected[i] == actual[i], $"draw {i}: numpy {expected[i]:R}, nabla {actual[i]:R}");
        Assert.All(state["2.attn.c_attn.bias"].ToArray(), x => Assert.Equal(0, x));
    }
}
