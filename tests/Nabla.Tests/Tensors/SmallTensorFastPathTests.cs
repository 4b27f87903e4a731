using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// The small-tensor fast paths (a single-element operand broadcast on the stack, shared shape arrays, the rank-2
/// Transpose) give exactly what the general strided path gives.
/// </summary>
public class SmallTensorFastPathTests
{
    static readonly Func<Tensor<double>, Tensor<double>, Tensor<double>>[] Ops =
        [(a, b) => a + b, (a, b) => a - b, (a, b) => a * b, (a, b) => a / b, (a, b) => a.Pow(b), (a, b) => a.Maximum(b), (a, b) => a.Minimum(b)];

    static Tensor<double> Values(int count, double shift) =>
        new(Enumerable.Range(0, count).Select(i => 0.25 + Math.Abs(Math.Sin(i + shift)) * 3).ToArray(), count);

    [Theory]
    [InlineData(2)] [InlineData(3)] [InlineData(16)] [InlineData(31)] [InlineData(32)] [InlineData(33)] [InlineData(40)]
    public void A_scalar_operand_gives_the_strided_path_values_bit_for_bit(int n)
    {
        // (n, 2) transposed is a non-contiguous (2, n) view: the general Rows path; its contiguous copy takes the fast path.
        var strided = Values(2 * n, 0.5).Reshape(n, 2).Transpose();
        var dense = strided.Contiguous();
        Assert.False(strided.IsContiguous);
        foreach (var s in new[] { Tensor<double>.Scalar(1.75), Tensor<double>.FromArray([0.5], 1, 1) })
            foreach (var op in Ops)
            {
                Assert.Equal(op(strided, s).ToArray(), op(dense, s).ToArray());
                Assert.Equal(op(s, strided).ToArray(), op(s, dense).ToArray());
            }
    }

    [Theory]
    [InlineData(2)] [InlineData(31)] [InlineData(32)] [InlineData(33)] [InlineData(40)]
    public void Operators_with_a_plain_number_give_the_strided_path_values_bit_for_bit(int n)
    {
        var strided = Values(2 * n, 0.5).Reshape(n, 2).Transpose();
        var dense = strided.Contiguous();
        const double s = 1.75;
        Assert.Equal((strided + s).ToArray(), (dense + s).ToArray());
        Assert.Equal((s + strided).ToArray(), (s + dense).ToArray());
        Assert.Equal((strided - s).ToArray(), (dense - s).ToArray());
        Assert.Equal((s - strided).ToArray(), (s - dense).ToArray());
        Assert.Equal((strided * s).ToArray(), (dense * s).ToArray());
        Assert.Equal((s * strided).ToArray(), (s * dense).ToArray());
        Assert.Equal((strided / s).ToArray(), (dense / s).ToArray());
        Assert.Equal((s / strided).ToArray(), (s / dense).ToArray());
        Assert.Equal([2, n], (s / dense).Shape);
    }

    [Fact]
    public void Operators_with_a_plain_number_still_record_when_an_input_requires_grad()
    {
        var x = Values(3, 0).RequireGrad();
        var y = 2.0 - x * 3.0;
        Assert.Equal("sub", y.OpName);
        y.Sum().Backward();
        Assert.Equal([-3.0, -3.0, -3.0], x.Grad!.ToArray());
    }

    [Fact]
    public void Results_that_share_a_shape_array_keep_their_own_shapes_and_strides()
    {
        var a = Values(6, 0).Reshape(2, 3);
        var b = a + 1.0;
        var c = (b * a).Transpose();
        Assert.Equal([2, 3], b.Shape);
        Assert.Equal([3, 1], b.Strides);
        Assert.Equal([3, 2], c.Shape);
        Assert.Equal([1, 3], c.Strides);
        Assert.Equal([2, 3], a.Shape);
    }

    [Fact]
    public void The_matrix_transpose_is_recorded_and_differentiates_like_permute()
    {
        var x = Values(6, 1).Reshape(2, 3).Detach().RequireGrad();
        var w = Values(6, 2).Reshape(3, 2);
        var y = x.Transpose();
        Assert.Equal("permute", y.OpName);
        (y * w).Sum().Backward();
        Assert.Equal(w.Transpose().ToArray(), x.Grad!.ToArray());
        Assert.Equal(x.Permute(1, 0).ToArray(), y.ToArray());
    }
}
