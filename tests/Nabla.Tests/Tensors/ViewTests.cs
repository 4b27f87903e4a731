using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public class ViewTests
{
    private static Tensor<double> Iota(params int[] shape) =>
        Tensor<double>.Arange(Shapes.ElementCount(shape)).Reshape(shape);

    [Fact]
    public void Reshape_transpose_slice_and_expand_share_storage()
    {
        var x = Iota(2, 3);
        var r = x.Reshape(3, 2);
        var t = x.Transpose();
        var s = x.Slice(1, 0, 3, 2);
        var e = x.Select(0, 1).Expand(4, 3);
        x[1, 2] = 100;
        Assert.Equal(100, r[2, 1]);
        Assert.Equal(100, t[2, 1]);
        Assert.Equal(100, s[1, 1]);
        Assert.Equal(100, e[3, 2]);
        Assert.False(t.IsContiguous);
        Assert.Equal(new[] { 0, 1 }, e.Strides);
    }

    [Fact]
    public void Transpose_reads_elements_in_swapped_order()
    {
        var t = Iota(2, 3).Transpose();
        Assert.Equal(new[] { 3, 2 }, t.Shape);
        Assert.Equal(new double[] { 0, 3, 1, 4, 2, 5 }, t.ToArray());
        Assert.Equal(new double[] { 0, 3, 1, 4, 2, 5 }, t.Reshape(6).ToArray()); // reshape of a strided view copies
    }

    [Fact]
    public void Slice_follows_python_rules_for_negative_and_out_of_range_bounds()
    {
        var x = Tensor<double>.Arange(10);
        Assert.Equal(new double[] { 7, 8, 9 }, x.Slice(0, -3, 100).ToArray());
        Assert.Equal(new double[] { 1, 4, 7 }, x.Slice(0, 1, 9, 3).ToArray());
        Assert.Empty(x.Slice(0, 5, 2).ToArray());
    }

    [Fact]
    public void Permute_moves_dimensions()
    {
        var x = Iota(2, 3, 4);
        var p = x.Permute(2, 0, 1);
        Assert.Equal(new[] { 4, 2, 3 }, p.Shape);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++)
            Assert.Equal(x[i, j, k], p[k, i, j]);
        Assert.Equal(new[] { 3, 4, 2 }, x.MoveAxis(0, -1).Shape);
    }

    [Fact]
    public void Squeeze_and_unsqueeze_change_only_unit_dimensions()
    {
        var x = Iota(2, 1, 3);
        Assert.Equal(new[] { 2, 3 }, x.Squeeze().Shape);
        Assert.Equal(new[] { 2, 1, 3, 1 }, x.Unsqueeze(-1).Shape);
        Assert.Throws<NablaException>(() => x.Squeeze(0));
    }

    [Fact]
    public void Bad_reshape_names_both_shapes()
    {
        var e = Assert.Throws<NablaException>(() => Iota(2, 3).Reshape(4, -1));
        Assert.Equal("cannot reshape tensor of shape (2, 3) into shape (4, -1)", e.Message);
    }

    [Fact]
    public void Creation_functions_fill_the_documented_values()
    {
        Assert.Equal(new double[] { 0, 0.25, 0.5, 0.75, 1 }, Tensor<double>.Linspace(0, 1, 5).ToArray());
        Assert.Equal(new double[] { 1, 1.5, 2, 2.5 }, Tensor<double>.Arange(1, 3, 0.5).ToArray());
        Assert.Equal(new double[] { 1, 0, 0, 0, 1, 0 }, Tensor<double>.Eye(2, 3).ToArray());
        Assert.Equal(new double[] { 7, 7 }, Tensor<double>.Full(7, 2).ToArray());
        var m = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new[] { 2, 3 }, m.Shape);
        Assert.Equal(6, m[1, 2]);
        Assert.Equal(m.ToArray(), Tensor.FromArray(new[] { new double[] { 1, 2, 3 }, [4, 5, 6] }).ToArray());
        Assert.Empty(Tensor<double>.Scalar(3).Shape);
        Assert.Equal(new double[] { 0, 1, 0, 1, 0, 0 }, Tensor<double>.OneHot([1, 0], 3).ToArray());
        Assert.Throws<NablaException>(() => Tensor<double>.OneHot([3], 3));
        Assert.Throws<NablaException>(() => new Tensor<double>(new double[5], 2, 3));
    }

    [Fact]
    public void The_flat_data_constructor_wraps_the_array_without_copying()
    {
        var data = new double[] { 1, 2, 3, 4 };
        var t = new Tensor<double>(data, 2, 2);
        data[3] = 9;
        Assert.Equal(9, t[1, 1]);
    }

    [Fact]
    public void Conversion_between_float_and_double_keeps_shape_and_values()
    {
        var d = Tensor.FromArray(new double[,] { { 0.5, -2 }, { 3, 1e-3 } }).Transpose();
        var f = d.To<float>();
        Assert.Equal(new[] { 2, 2 }, f.Shape);
        Assert.Equal(new float[] { 0.5f, 3, -2, 1e-3f }, f.ToArray());
    }

    [Fact]
    public void Fill_and_copy_from_write_through_strided_views()
    {
        var x = Tensor<double>.Zeros(2, 3);
        x.Slice(1, 1, 3).Fill(4);
        x.Select(0, 0).CopyFrom(Tensor.FromArray(new double[] { 7, 8, 9 }));
        Assert.Equal(new double[] { 7, 8, 9, 0, 4, 4 }, x.ToArray());
    }

    [Fact]
    public void ToString_shows_values_and_shape()
    {
        Assert.Equal("tensor([[1, 2], [3, 4]], shape=(2, 2))", Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).ToString());
    }
}
