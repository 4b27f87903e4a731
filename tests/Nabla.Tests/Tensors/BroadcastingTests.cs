using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public class BroadcastingTests
{
    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 4, 1, 3 }, new[] { 2, 1 }, new[] { 4, 2, 3 })]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 }, new[] { 3, 4 })]
    [InlineData(new int[0], new[] { 2, 2 }, new[] { 2, 2 })]
    [InlineData(new[] { 5, 1, 4, 1 }, new[] { 3, 1, 6 }, new[] { 5, 3, 4, 6 })]
    [InlineData(new[] { 0, 3 }, new[] { 1, 3 }, new[] { 0, 3 })]
    public void Broadcast_shapes_follow_numpy_rules(int[] a, int[] b, int[] expected)
    {
        Assert.Equal(expected, Shapes.Broadcast(a, b, "add"));
        Assert.Equal(expected, Shapes.Broadcast(b, a, "add"));
    }

    [Fact]
    public void Incompatible_shapes_throw_naming_both_shapes_and_the_op()
    {
        var a = Tensor<double>.Zeros(2, 3);
        var b = Tensor<double>.Zeros(4);
        var e = Assert.Throws<NablaException>(() => a + b);
        Assert.Equal("cannot broadcast shapes (2, 3) and (4,) in add", e.Message);
        Assert.Contains("in mul", Assert.Throws<NablaException>(() => a * b).Message);
        Assert.Contains("in maximum", Assert.Throws<NablaException>(() => a.Maximum(b)).Message);
    }

    [Fact]
    public void Row_plus_column_gives_the_outer_sum()
    {
        // NumPy: np.array([[0],[10],[20]]) + np.array([1, 2, 3, 4]) == [[1,2,3,4],[11,12,13,14],[21,22,23,24]]
        var col = Tensor.FromArray(new double[,] { { 0 }, { 10 }, { 20 } });
        var row = Tensor.FromArray(new double[] { 1, 2, 3, 4 });
        var y = col + row;
        Assert.Equal(new[] { 3, 4 }, y.Shape);
        Assert.Equal(new double[] { 1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24 }, y.ToArray());
    }

    [Fact]
    public void Scalar_operands_broadcast_on_both_sides()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 4 });
        Assert.Equal(new double[] { 0.5, 1, 2 }, (x / 2.0).ToArray());
        Assert.Equal(new double[] { 4, 2, 1 }, (4.0 / x).ToArray());
        Assert.Equal(new double[] { 2, 1, -1 }, (3.0 - x).ToArray());
        Assert.Equal(new double[] { 1, 4, 16 }, x.Pow(2.0).ToArray());
    }

    [Fact]
    public void Element_wise_ops_match_plain_loops_on_broadcast_and_strided_inputs()
    {
        var random = new Random(3);
        var a = TensorOpTableTests.Sample([3, 4, 5], Nabla.Ops.Domain.Everywhere, random).Permute(2, 0, 1); // (5, 3, 4), strided
        var b = TensorOpTableTests.Sample([3, 1], Nabla.Ops.Domain.Everywhere, random);
        var y = (a * b).Sin() - a.Maximum(b);
        for (int i = 0; i < 5; i++)
        for (int j = 0; j < 3; j++)
        for (int k = 0; k < 4; k++)
        {
            double av = a[i, j, k], bv = b[j, 0];
            Assert.Equal(Math.Sin(av * bv) - Math.Max(av, bv), y[i, j, k], 12);
        }
    }

    [Fact]
    public void Float_tensors_use_the_same_kernels()
    {
        var a = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        var b = Tensor.FromArray(new float[] { 10, 20 });
        Assert.Equal(new float[] { 11, 22, 13, 24 }, (a + b).ToArray());
        Assert.Equal(new float[] { MathF.Exp(1), MathF.Exp(2) }, a.Select(0, 0).Exp().ToArray());
    }

    [Fact]
    public void Comparisons_return_zero_one_masks_and_where_selects()
    {
        var x = Tensor.FromArray(new double[] { -1, 0, 2, double.NaN });
        var zero = Tensor<double>.Scalar(0);
        Assert.Equal(new double[] { 0, 0, 1, 0 }, x.GreaterThan(zero).ToArray());
        Assert.Equal(new double[] { 1, 1, 0, 0 }, x.LessThanOrEqual(zero).ToArray());
        Assert.Equal(new double[] { 0, 1, 0, 0 }, x.EqualTo(zero).ToArray());
        Assert.Equal(new double[] { 1, 0, 1, 1 }, x.NotEqualTo(zero).ToArray());
        var y = Tensor<double>.Where(x.GreaterThan(zero), x, Tensor<double>.Scalar(-5));
        Assert.Equal(new double[] { -5, -5, 2, -5 }, y.ToArray());
        Assert.False(x.GreaterThan(zero).RequiresGrad);
    }

    [Fact]
    public void Clamp_limits_values_to_the_interval()
    {
        var x = Tensor.FromArray(new double[] { -3, -0.5, 0.25, 9 });
        Assert.Equal(new double[] { -1, -0.5, 0.25, 1 }, x.Clamp(-1, 1).ToArray());
    }
}
