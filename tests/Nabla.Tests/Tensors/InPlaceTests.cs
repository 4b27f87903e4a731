using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>The in-place and write-into ops give the allocating ops' values and refuse tensors a graph may need.</summary>
public class InPlaceTests
{
    static Tensor<double> Values(int rows, int cols, double shift) =>
        new(Enumerable.Range(0, rows * cols).Select(i => Math.Sin(i + shift) * 2).ToArray(), rows, cols);

    [Theory]
    [InlineData(1, 3, 4)] [InlineData(4, 1, 1)] [InlineData(30, 40, 50)] [InlineData(7, 0, 5)]
    public void MatMul_into_equals_MatMul_also_for_transposed_inputs(int m, int k, int n)
    {
        var a = Values(m, k, 0);
        var b = Values(k, n, 1);
        var into = Tensor<double>.Full(double.NaN, m, n);
        Assert.Same(into, Tensor<double>.MatMul(a, b, into));
        Assert.Equal(a.MatMul(b).ToArray(), into.ToArray());
        var at = Values(k, m, 2).Transpose();
        Tensor<double>.MatMul(at, b, into);
        Assert.Equal(at.MatMul(b).ToArray(), into.ToArray());
    }

    [Fact]
    public void Unary_in_place_equals_the_allocating_op_on_contiguous_and_strided_tensors()
    {
        var x = Values(5, 7, 3);
        var sig = x.Sigmoid().ToArray();
        var relu = x.Relu().ToArray();
        Assert.Equal(sig, x.Clone().SigmoidInPlace().ToArray());
        Assert.Equal(relu, x.Clone().ReluInPlace().ToArray());
        var strided = Values(7, 5, 3).Transpose();
        var expected = strided.Exp().ToArray();
        Assert.Equal(expected, strided.ApplyInPlace<Nabla.Ops.Exp>().ToArray());
    }

    [Fact]
    public void SubtractScaledInPlace_equals_w_minus_alpha_times_g()
    {
        var w = Values(3, 4, 0);
        var g = Values(3, 4, 5);
        var expected = (w - 0.3 * g).ToArray();
        Assert.Equal(expected, w.Clone().SubtractScaledInPlace(0.3, g).ToArray());
        Assert.Equal(expected, w.Clone().SubtractScaledInPlace(0.3, g.Transpose().Contiguous().Transpose()).ToArray());
        var row = Values(1, 4, 2);
        Assert.Equal((w - 0.3 * row).ToArray(), w.Clone().SubtractScaledInPlace(0.3, row).ToArray());
        var self = w.Clone();
        Assert.Equal((w - 0.3 * w).ToArray(), self.SubtractScaledInPlace(0.3, self).ToArray());
    }

    [Fact]
    public void In_place_ops_refuse_tensors_that_require_grad_or_were_recorded()
    {
        var leaf = Values(2, 2, 0).RequireGrad();
        var computed = leaf * 2.0;
        var plain = Values(2, 2, 1);
        foreach (var t in new[] { leaf, computed })
        {
            Assert.Contains("requires grad", Assert.Throws<NablaException>(() => t.SigmoidInPlace()).Message);
            Assert.Throws<NablaException>(() => t.SubtractScaledInPlace(1.0, plain));
            Assert.Throws<NablaException>(() => Tensor<double>.MatMul(plain, plain, t));
        }
        Assert.Throws<NablaException>(() => Tensor<double>.MatMul(leaf, plain, Values(2, 2, 3)));
        using (NoGrad.Scope()) Tensor<double>.MatMul(leaf, plain, Values(2, 2, 3));
    }

    [Fact]
    public void MatMul_into_checks_shapes_layout_and_aliasing()
    {
        var a = Values(2, 3, 0);
        var b = Values(3, 2, 1);
        Assert.Contains("(m, k), (k, n) and (m, n)", Assert.Throws<NablaException>(() => Tensor<double>.MatMul(a, b, Values(3, 3, 0))).Message);
        Assert.Contains("contiguous", Assert.Throws<NablaException>(() => Tensor<double>.MatMul(a, b, Values(2, 2, 0).Transpose())).Message);
        var square = Values(2, 2, 0);
        Assert.Throws<NablaException>(() => Tensor<double>.MatMul(square, square, square));
    }
}
