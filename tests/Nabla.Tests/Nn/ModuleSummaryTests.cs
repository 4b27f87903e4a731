using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

/// <summary>Summary's rows: output shapes checked against the convolution and pooling size formulas, counts against the layer sizes.</summary>
public class ModuleSummaryTests
{
    [Fact]
    public void Rows_give_each_layers_output_shape_and_parameter_count()
    {
        var rng = new RandomState(1);
        var net = new Sequential<float>(new Conv2d<float>(1, 4, 3, rng, padding: 1), new ReLU<float>(), new MaxPool2d<float>(2),
            new Flatten<float>(), new Linear<float>(64, 10, rng));
        var summary = net.Summary(2, 1, 8, 8);
        // conv: (8 + 2·1 − 3)/1 + 1 = 8; pool: 8/2 = 4; flatten: 4·4·4 = 64
        Assert.Equal(["", "0", "1", "2", "3", "4"], summary.Rows.Select(r => r.Name));
        Assert.Equal(["Sequential", "Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear"], summary.Rows.Select(r => r.Type));
        Assert.Equal([[2, 10], [2, 4, 8, 8], [2, 4, 8, 8], [2, 4, 4, 4], [2, 64], [2, 10]], summary.Rows.Select(r => r.OutputShape!.ToArray()));
        Assert.Equal([690L, 4 * 9 + 4, 0, 0, 0, 64 * 10 + 10], summary.Rows.Select(r => r.Parameters));
        Assert.Equal(690, summary.TotalParameters);
        string text = summary.ToString();
        Assert.Contains("\n  0" + new string(' ', 9) + "Conv2d" + new string(' ', 6) + "[2, 4, 8, 8]  ", text);   // columns 10, 10, 12 wide, two spaces apart
        Assert.Contains("Total params: 690", text);
        Assert.Contains("Non-trainable params: 0", text);
    }

    private sealed class Direct : Module<double>
    {
        private readonly Linear<double> seen = new(3, 2, new RandomState(2));
        private readonly Linear<double> unseen = new(2, 2, new RandomState(3));
        private readonly BatchNorm1d<double> norm = new(2);

        public override Tensor<double> Forward(Tensor<double> x) => norm.Call(unseen.Forward(seen.Call(x)));
    }

    [Fact]
    public void A_child_called_through_Forward_has_no_shape_and_the_pass_changes_no_mode_or_statistic()
    {
        var net = new Direct();
        var summary = net.Summary(4, 3);
        Assert.Equal([[4, 2], [4, 2], null, [4, 2]], summary.Rows.Select(r => r.OutputShape?.ToArray()));
        var norm = (BatchNorm1d<double>)net.Children().Last().Module;
        Assert.True(norm.IsTraining);
        Assert.Equal(0.0, norm.NumBatchesTracked!.ToScalar());
        Assert.Equal([0.0, 0.0], norm.RunningMean!.ToArray());
        Assert.Contains("  unseen  Linear       --", summary.ToString());
    }

    [Fact]
    public void A_bad_input_shape_is_refused_naming_the_dimension_and_a_failing_pass_names_the_shape()
    {
        var net = new Direct();
        var e = Assert.Throws<NablaArgumentException>(() => net.Summary(4, 0));
        Assert.Equal("inputShape", e.Parameter);
        Assert.Contains("dimension 1 is 0", e.Message);
        var failed = Assert.Throws<NablaException>(() => net.Summary(4, 5));
        Assert.StartsWith("Summary: the forward pass of Direct on zeros of shape (4, 5) failed:", failed.Message);
        Assert.All(net.Modules(), m => Assert.True(m.IsTraining));
    }
}
