using Nabla.Losses;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

/// <summary>
/// Sequential runs Linear + activation as one fused op; values and gradients must equal the layer-by-layer
/// composition (Linear, then the activation module) bit for bit, whether gradients start absent or accumulate.
/// </summary>
public class FusedLinearTests
{
    [Theory]
    [InlineData("relu")] [InlineData("sigmoid")] [InlineData("tanh")] [InlineData("sin")]
    public void Fused_sequential_equals_layer_by_layer_bit_for_bit(string activation)
    {
        var fused = Run<double>(activation, fuse: true);
        var plain = Run<double>(activation, fuse: false);
        Assert.Equal(plain, fused);
        var fused32 = Run<float>(activation, fuse: true);
        var plain32 = Run<float>(activation, fuse: false);
        Assert.Equal(plain32, fused32);
    }

    [Theory]
    [InlineData("relu")] [InlineData("sigmoid")] [InlineData("tanh")]
    public void The_packed_products_epilogue_equals_layer_by_layer_bit_for_bit(string activation)
    {
        // Big enough for the packed, blocked and two-worker product, where bias and activation run in its epilogue.
        int[] sizes = [40, 64, 48, 8];
        Assert.Equal(Run<double>(activation, fuse: false, sizes, 96), Run<double>(activation, fuse: true, sizes, 96));
        Assert.Equal(Run<float>(activation, fuse: false, sizes, 96), Run<float>(activation, fuse: true, sizes, 96));
    }

    [Fact]
    public void The_fused_op_is_recorded_under_its_own_name()
    {
        var net = Mlp.Create<double>([3, 4, 2]);
        var y = net.Forward(Tensor<double>.Ones(2, 3));
        Assert.Equal("linear", y.OpName);
        var hidden = ((Sequential<double>)new Sequential<double>(net[0], net[1])).Forward(Tensor<double>.Ones(2, 3));
        Assert.Equal("linear_relu", hidden.OpName);
    }

    /// <summary>
    /// Output, every parameter gradient and the input gradient, as raw bits, after two backward passes (the first
    /// creates the gradients, the second adds into them).
    /// </summary>
    static List<long[]> Run<T>(string activation, bool fuse, int[]? sizes = null, int rows = 4) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        sizes ??= [5, 7, 6, 3];
        var net = Mlp.Create<T>(sizes, activation, new RandomState(4));
        var data = new RandomState(9).Normal(0, 1.5, rows, sizes[0]);
        var x = new Tensor<double>(data, rows, sizes[0]).To<T>().RequireGrad();
        var target = new Tensor<double>(new RandomState(5).Normal(0, 1, rows, sizes[^1]), rows, sizes[^1]).To<T>();
        var bits = new List<long[]>();
        for (int pass = 0; pass < 2; pass++)
        {
            Tensor<T> y = x;
            if (fuse) y = net.Forward(x);
            else foreach (var layer in net) y = layer.Forward(y);
            Loss.Mse(y, target).Backward();
            if (pass == 0) bits.Add(Bits(y.ToArray()));
        }
        foreach (var p in net.Parameters()) bits.Add(Bits(p.Grad!.ToArray()));
        bits.Add(Bits(x.Grad!.ToArray()));
        return bits;
    }

    static long[] Bits<T>(T[] values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        values.Select(v => BitConverter.DoubleToInt64Bits(double.CreateChecked(v))).ToArray();
}
