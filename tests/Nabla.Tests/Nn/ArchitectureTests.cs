using Nabla.Data;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

/// <summary>Architecture descriptions: shapes inferred layer by layer, errors with a caret under the bad token, JSON.</summary>
public class ArchitectureTests
{
    private const string LeNet = "conv 6 5, relu, maxpool 2, conv 16 5, relu, maxpool 2, flatten, linear 120, relu, linear 84, relu, linear 10";

    [Fact]
    public void LeNet_on_28x28_images_infers_every_size_and_names_parameters_as_pytorch()
    {
        var (net, output) = Architecture.Build<float>(LeNet, [784], new RandomState(0), imageShape: [1, 28, 28]);
        Assert.Equal([10], output);
        Assert.Equal(13, net.Count);   // Unflatten, then the 12 layers described
        Assert.Equal(["1.weight", "1.bias", "4.weight", "4.bias", "8.weight", "8.bias", "10.weight", "10.bias", "12.weight", "12.bias"],
            net.NamedParameters().Select(p => p.Key));
        Assert.Equal([16, 6, 5, 5], net.NamedParameters().First(p => p.Key == "4.weight").Value.Shape);
        Assert.Equal([120, 256], net.NamedParameters().First(p => p.Key == "8.weight").Value.Shape);
        Assert.Equal([3, 10], net.Forward(Tensor<float>.Zeros(3, 784)).Shape);
    }

    [Theory]
    [InlineData("conv 6 5, relu, maxpol 2", "unknown layer \"maxpol\"", 16, 6)]
    [InlineData("conv 6 5, relu, linear 10", "put flatten before it", 16, 6)]
    [InlineData("conv 6 x", "\"x\" is not a number", 7, 1)]
    [InlineData("conv 6 5 strde=2", "no setting \"strde\"", 9, 5)]
    [InlineData("conv 6, relu", "needs its kernel", 0, 6)]
    [InlineData("conv 6 40", "does not fit", 0, 4)]
    [InlineData("flatten,, linear 3", "empty layer", 8, 1)]
    [InlineData("dropout 1.5", "p of dropout must be in [0, 1]", 8, 3)]
    public void A_bad_description_gets_a_caret_under_the_bad_token(string description, string message, int column, int width)
    {
        var e = Assert.Throws<NablaException>(() => Architecture.Build<double>(description, [1, 8, 8], new RandomState(0)));
        Assert.Contains(message, e.Message);
        var lines = e.Message.Split('\n');
        Assert.Equal("  " + description, lines[^2]);
        Assert.Equal("  " + new string(' ', column) + new string('^', width), lines[^1]);
    }

    [Fact]
    public void Json_arrays_of_strings_or_objects_describe_the_same_network()
    {
        string text = Architecture.FromJson("""{"layers": [{"type": "conv", "out": 4, "kernel": 3, "padding": 1}, "relu", {"type": "maxpool", "kernel": 2}, "flatten", {"type": "linear", "out": 2, "bias": false}]}""");
        Assert.Equal("conv out=4 kernel=3 padding=1, relu, maxpool kernel=2, flatten, linear out=2 bias=false", text);
        var (net, output) = Architecture.Build<double>(text, [1, 6, 6], new RandomState(0));
        Assert.Equal([2], output);
        Assert.Null(((Linear<double>)net[4]).Bias);
        Assert.Throws<NablaException>(() => Architecture.FromJson("[1, 2]"));
        Assert.Throws<NablaException>(() => Architecture.FromJson("{"));
    }

    private static double Accuracy(Sequential<float> net, Tensor<float> x, int[] labels)
    {
        net.Eval();
        using var _ = NoGrad.Scope();
        var logits = net.Forward(x);
        int right = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int best = 0;
            for (int c = 1; c < 4; c++) if (logits[i, c] > logits[i, best]) best = c;
            if (best == labels[i]) right++;
        }
        return right / (double)labels.Length;
    }

    private static double TrainAndTest(string description, LabeledTable train, LabeledTable test)
    {
        var (net, _) = Architecture.Build<float>(description, [train.Features.Columns], new RandomState(1), imageShape: [1, 12, 12]);
        var opt = new Adam<float>(net.Parameters(), 0.01);
        var x = new Tensor<double>(train.Features.Values, train.Rows, train.Features.Columns).To<float>();
        var y = train.Targets.Select(t => (int)t).ToArray();
        for (int epoch = 0; epoch < 12; epoch++)
            for (int b = 0; b < train.Rows; b += 50)
            {
                var loss = Tensor<float>.CrossEntropy(net.Forward(x.Slice(0, b, b + 50)), y.AsSpan(b, 50));
                opt.ZeroGrad();
                loss.Backward();
                opt.Step();
            }
        return Accuracy(net, new Tensor<double>(test.Features.Values, test.Rows, test.Features.Columns).To<float>(), test.Targets.Select(t => (int)t).ToArray());
    }

    [Fact]
    public void On_the_shapes_images_a_small_conv_net_beats_an_mlp_of_similar_size()
    {
        var train = ShapesDataset.Create(600, new RandomState(2), size: 12, noise: 0.3);
        var test = ShapesDataset.Create(300, new RandomState(3), size: 12, noise: 0.3);
        const string conv = "conv 8 5, relu, maxpool 4, flatten, linear 4";    // 208 + 132 = 340 parameters
        const string mlp = "flatten, linear 2, relu, linear 4";                 // 290 + 12 = 302 parameters
        double convAccuracy = TrainAndTest(conv, train, test), mlpAccuracy = TrainAndTest(mlp, train, test);
        Assert.True(convAccuracy > mlpAccuracy + 0.2, $"conv {convAccuracy:P1}, MLP {mlpAccuracy:P1}");
        Assert.True(convAccuracy > 0.7, $"conv {convAccuracy:P1}, MLP {mlpAccuracy:P1}");
    }
}
