using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tests.Cli;

namespace Nabla.Tests.Reliability;

/// <summary>
/// A <c>--layers</c> description that asks for more than <see cref="Limits"/> allows is refused before anything is
/// allocated, with the caret under the layer and the value and limit in the message; found by the fuzz campaign as
/// out-of-memory crashes and 30-second hangs.
/// </summary>
public class ArchitectureLimitTests
{
    private static NablaException Refused(string layers, int[] shape)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NablaException>(() => Architecture.Build<float>(layers, shape, new RandomState(0)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Layers within the limits before the refused one are built (at most the model limit's worth); the refused one is not.
        Assert.True(allocated < 256_000_000, $"{allocated:N0} bytes allocated before the refusal");
        Assert.Contains("^", e.Message);
        Assert.Contains("limit", e.Message);
        return e;
    }

    [Fact]
    public void A_conv_of_100000_channels_is_refused_by_the_model_size_limit()
    {
        // The conv holds 100 000·3·5·5 + 100 000 = 7 600 000 values; the linear after it 1 600 000·10 + 10 more.
        var e = Refused("conv 100000 5, relu, flatten, linear 10", [3, 8, 8]);
        Assert.Contains("linear would hold 16,000,010 values, more than the 9,177,216 that are left of the limit of 16,777,216", e.Message);
        Assert.Contains(new string(' ', 2 + "conv 100000 5, relu, flatten, ".Length) + "^^^^^^", e.Message);
        var alone = Refused("conv 100000 5", [30, 8, 8]);
        Assert.Contains("conv would hold 75,100,000 values", alone.Message);
    }

    [Fact]
    public void A_linear_of_a_million_outputs_is_refused_by_the_model_size_limit()
    {
        var e = Refused("flatten, linear 1048576, relu, linear 2", [1, 28, 28]);
        Assert.Contains("linear would hold 823,132,160 values", e.Message);  // 784·1 048 576 + 1 048 576
    }

    [Fact]
    public void A_padding_of_a_million_is_refused_by_the_per_sample_output_limit()
    {
        var e = Refused("conv 2 3 padding=1048576, flatten, linear 2", [3, 8, 8]);
        Assert.Contains("output per sample [2, 2,097,158, 2,097,158]", e.Message);
    }

    [Fact]
    public void A_conv_of_a_million_channels_on_a_small_image_is_refused_at_once()
    {
        var e = Refused("conv 1048576 3", [3, 8, 8]);
        Assert.Contains("29,360,128 values", e.Message);   // 1 048 576·3·3·3 + 1 048 576
    }

    [Fact]
    public void A_setting_past_the_layer_setting_limit_names_the_range()
    {
        var e = Assert.Throws<NablaException>(() => Architecture.Build<float>("linear 1048577", [4], new RandomState(0)));
        Assert.Contains("out of linear must be a whole number from 1 to 1,048,576", e.Message);
        Assert.Contains("^^^^^^^", e.Message);
    }

    [Fact]
    public void A_window_product_that_overflows_64_bits_is_refused()
    {
        // out · (C/groups) · kernel² = 2²⁰ · 9 · 2⁴⁰ passes 2⁶³: checked, not wrapped into a small budget.
        var e = Refused("conv 1048576 1048576", [9, 8, 8]);
        Assert.Contains("9,223,372,036,854,775,807", e.Message);
    }

    [Fact]
    public void The_train_command_refuses_such_a_description_with_exit_2_and_a_caret()
    {
        var (exit, _, error) = CliRunner.Run("train", "--dataset", "shapes", "--samples", "20", "--layers", "conv 100000 5, relu, flatten, linear 4", "--epochs", "1");
        Assert.Equal(2, exit);
        Assert.Contains("limit", error);
        Assert.Contains("^", error);
    }

    [Theory]
    [InlineData("[\"linear 4\", \"\\ud800\"]")]
    [InlineData("[{\"type\": \"linear\", \"\\udc00\": 4}]")]
    public void FromJson_with_a_lone_surrogate_is_a_NablaException(string json)
    {
        var e = Assert.Throws<NablaException>(() => Architecture.FromJson(json, "layers.json"));
        Assert.Contains("layers.json", e.Message);
        Assert.Contains("surrogate", e.Message);
    }
}
