using Nabla.Ops;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public class MatMulTests
{
    private static Tensor<double> R(params int[] shape) => TensorOpTableTests.Sample(shape, Domain.Everywhere, new Random(shape.Sum() * 31 + shape.Length));

    private static double Dot(Func<int, double> a, Func<int, double> b, int k)
    {
        double s = 0;
        for (int p = 0; p < k; p++) s += a(p) * b(p);
        return s;
    }

    [Fact]
    public void Vector_times_vector_is_the_dot_product()
    {
        var a = R(4); var b = R(4);
        var y = a.MatMul(b);
        Assert.Empty(y.Shape);
        Assert.Equal(Dot(p => a[p], p => b[p], 4), y.ToScalar(), 12);
    }

    [Fact]
    public void Matrix_products_match_a_triple_loop_including_vectors_and_transposed_views()
    {
        var a = R(3, 4); var b = R(4, 5); var v = R(4); var w = R(3);
        var c = a.MatMul(b);
        var ct = b.Transpose().MatMul(a.Transpose()); // (5, 3) from strided views
        var av = a.MatMul(v);
        var wa = w.MatMul(a);
        Assert.Equal(new[] { 3, 5 }, c.Shape);
        Assert.Equal(new[] { 3 }, av.Shape);
        Assert.Equal(new[] { 4 }, wa.Shape);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                double s = Dot(p => a[i, p], p => b[p, j], 4);
                Assert.Equal(s, c[i, j], 12);
                Assert.Equal(s, ct[j, i], 12);
            }
            Assert.Equal(Dot(p => a[i, p], p => v[p], 4), av[i], 12);
        }
        for (int j = 0; j < 4; j++) Assert.Equal(Dot(p => w[p], p => a[p, j], 3), wa[j], 12);
    }

    [Fact]
    public void Batched_products_broadcast_the_batch_dimensions()
    {
        var a = R(2, 1, 3, 4); var b = R(5, 4, 2);
        var c = a.MatMul(b);
        Assert.Equal(new[] { 2, 5, 3, 2 }, c.Shape);
        for (int p = 0; p < 2; p++) for (int q = 0; q < 5; q++)
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++)
            Assert.Equal(Dot(k => a[p, 0, i, k], k => b[q, k, j], 4), c[p, q, i, j], 12);
    }

    [Fact]
    public void Mismatched_inner_dimensions_throw_naming_both_shapes()
    {
        var e = Assert.Throws<NablaException>(() => R(2, 3).MatMul(R(4, 5)));
        Assert.Equal("cannot multiply shapes (2, 3) and (4, 5) in matmul: inner dimensions 3 and 4 differ", e.Message);
    }

    [Fact]
    public void Outer_product_multiplies_every_pair()
    {
        var a = Tensor.FromArray(new double[] { 1, 2 });
        var b = Tensor.FromArray(new double[] { 3, 4, 5 });
        Assert.Equal(new double[] { 3, 4, 5, 6, 8, 10 }, Tensor<double>.Outer(a, b).ToArray());
    }

    [Fact]
    public void Linear_layer_gradients_match_hand_derived_formulas()
    {
        // y = sum(x·W + b): dW[i, j] = Σ_n x[n, i], db[j] = N, dx[n, i] = Σ_j W[i, j].
        var x = R(6, 3); var w = R(3, 2).RequireGrad(); var b = R(2).RequireGrad();
        (x.MatMul(w) + b).Sum().Backward();
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++)
        {
            double s = 0;
            for (int n = 0; n < 6; n++) s += x[n, i];
            Assert.Equal(s, w.Grad![i, j], 12);
        }
        Assert.Equal(new double[] { 6, 6 }, b.Grad!.ToArray());
        Assert.Null(x.Grad);
    }
}
