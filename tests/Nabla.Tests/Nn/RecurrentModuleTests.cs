using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

/// <summary>
/// RNN, LSTM and GRU as modules: PyTorch's parameter names, shapes, order and initialisation, its repr, unbatched input,
/// dropout between layers, and refusals that name the wrong shape and the expected one. (Numbers against PyTorch:
/// <see cref="RecurrentTorchTests"/>.)
/// </summary>
public sealed class RecurrentModuleTests
{
    [Fact]
    public void Parameters_have_pytorchs_names_shapes_and_order()
    {
        var lstm = new LSTM<double>(10, 20, new RandomState(1), numLayers: 2);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"],
            lstm.StateDict().Keys);
        Assert.Equal([[80, 10], [80, 20], [80], [80], [80, 20], [80, 20], [80], [80]], lstm.Parameters().Select(p => p.Shape.ToArray()));
        var gru = new GRU<float>(3, 4, new RandomState(1), bias: false);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0"], gru.StateDict().Keys);
        Assert.Equal([12, 3], gru.WeightIh[0].Shape);
        var rnn = new RNN<double>(3, 4, new RandomState(1), numLayers: 3);
        Assert.Equal([4, 4], rnn.WeightIh[2].Shape);
    }

    [Fact]
    public void Initialisation_draws_uniform_within_one_over_root_h_in_parameter_order()
    {
        const int H = 5;
        var lstm = new LSTM<double>(3, H, new RandomState(42), numLayers: 2);
        double a = 1 / Math.Sqrt(H);
        var expected = new RandomState(42);
        foreach (var (name, p) in lstm.NamedParameters())
            Assert.True(expected.Uniform(-a, a, p.ElementCount).SequenceEqual(p.ToArray()), $"{name} is not the next {p.ElementCount} draws of U(-{a}, {a})");
        Assert.All(new GRU<double>(2, 16).Parameters(), p => Assert.All(p.ToArray(), v => Assert.InRange(v, -0.25, 0.25)));
    }

    [Fact]
    public void ToString_is_pytorchs_repr()
    {
        Assert.Equal("LSTM(10, 20, num_layers=2, batch_first=True)", new LSTM<float>(10, 20, new RandomState(0), 2, batchFirst: true).ToString());
        Assert.Equal("GRU(3, 4, bias=False, dropout=0.5)", new GRU<float>(3, 4, new RandomState(0), bias: false, dropout: 0.5).ToString());
        Assert.Equal("RNN(3, 4, dropout=1.0)", new RNN<float>(3, 4, new RandomState(0), nonlinearity: RnnNonlinearity.Relu, dropout: 1).ToString());
    }

    [Fact]
    public void Unbatched_input_gives_the_batched_results_without_the_batch_axis()
    {
        var rng = new RandomState(7);
        var lstm = new LSTM<double>(3, 4, rng, numLayers: 2);
        var x = new Tensor<double>(rng.Uniform(-1, 1, 15), 5, 3);
        var h0 = new Tensor<double>(rng.Uniform(-1, 1, 8), 2, 4);
        var c0 = new Tensor<double>(rng.Uniform(-1, 1, 8), 2, 4);
        var (y, h, c) = lstm.Forward(x, h0, c0);
        var (yb, hb, cb) = lstm.Forward(x.Unsqueeze(1), h0.Unsqueeze(1), c0.Unsqueeze(1));
        Assert.Equal([5, 4], y.Shape);
        Assert.Equal([2, 4], h.Shape);
        Assert.Equal(yb.ToArray(), y.ToArray());
        Assert.Equal(hb.ToArray(), h.ToArray());
        Assert.Equal(cb!.ToArray(), c!.ToArray());
        // h_n is the last step of each layer: the top layer's equals the output's last row.
        Assert.Equal(y.Select(0, 4).ToArray(), h.Select(0, 1).ToArray());
    }

    [Fact]
    public void Dropout_acts_between_layers_in_training_only()
    {
        var rng = new RandomState(8);
        var x = new Tensor<double>(rng.Uniform(-1, 1, 24), 4, 2, 3);
        var plain = new GRU<double>(3, 4, new RandomState(1), numLayers: 2);
        var dropped = new GRU<double>(3, 4, new RandomState(2), numLayers: 2, dropout: 0.5);
        dropped.LoadStateDict(plain.StateDict());
        using (NoGrad.Scope())
        {
            var reference = plain.Forward(x).ToArray();
            Assert.NotEqual(reference, dropped.Forward(x).ToArray());
            dropped.Eval();
            Assert.Equal(reference, dropped.Forward(x).ToArray());
            // One layer: nothing lies between layers, so even training mode drops nothing.
            var single = new GRU<double>(3, 4, new RandomState(1), dropout: 0.9);
            var singlePlain = new GRU<double>(3, 4, new RandomState(1));
            Assert.Equal(singlePlain.Forward(x).ToArray(), single.Forward(x).ToArray());
        }
    }

    [Fact]
    public void Wrong_input_and_state_shapes_are_refused_naming_both_shapes()
    {
        var lstm = new LSTM<double>(10, 20, new RandomState(0), numLayers: 2);
        var e = Assert.Throws<NablaArgumentException>(() => lstm.Forward(Tensor<double>.Zeros(5, 3, 7)));
        Assert.Equal("input", e.Parameter);
        Assert.Contains("(5, 3, 7)", e.Message);
        Assert.Contains("input_size = 10", e.Message);

        e = Assert.Throws<NablaArgumentException>(() => lstm.Forward(Tensor<double>.Zeros(5, 3, 10), Tensor<double>.Zeros(1, 3, 20), null));
        Assert.Equal("h0", e.Parameter);
        Assert.Contains("(1, 3, 20)", e.Message);
        Assert.Contains("(2, 3, 20)", e.Message);

        e = Assert.Throws<NablaArgumentException>(() => lstm.Forward(Tensor<double>.Zeros(5, 3, 10), null, Tensor<double>.Zeros(2, 4, 20)));
        Assert.Equal("c0", e.Parameter);
        Assert.Contains("(2, 4, 20)", e.Message);

        var gru = new GRU<double>(2, 3, new RandomState(0));
        e = Assert.Throws<NablaArgumentException>(() => gru.Forward(Tensor<double>.Zeros(4, 1, 2), null, Tensor<double>.Zeros(1, 1, 3)));
        Assert.Equal("c0", e.Parameter);
        Assert.Equal("numLayers", Assert.Throws<NablaArgumentException>(() => new RNN<double>(2, 3, new RandomState(0), numLayers: 0)).Parameter);
        Assert.Equal("hiddenSize", Assert.Throws<NablaArgumentException>(() => new LSTM<double>(2, 0, new RandomState(0))).Parameter);
        Assert.Equal("dropout", Assert.Throws<NablaArgumentException>(() => new GRU<double>(2, 3, new RandomState(0), dropout: 1.5)).Parameter);
    }
}
