using Nabla.Ops;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public class ReductionTests
{
    private static readonly Tensor<double> X = TensorOpTableTests.Sample([3, 4, 5], Domain.Everywhere, new Random(11));

    [Fact]
    public void Sum_over_each_axis_matches_a_plain_loop()
    {
        var s1 = X.Sum(1);
        var s02 = X.Sum([0, 2], keepDims: true);
        Assert.Equal(new[] { 3, 5 }, s1.Shape);
        Assert.Equal(new[] { 1, 4, 1 }, s02.Shape);
        double total = 0;
        for (int i = 0; i < 3; i++)
        for (int k = 0; k < 5; k++)
        {
            double s = 0;
            for (int j = 0; j < 4; j++) s += X[i, j, k];
            Assert.Equal(s, s1[i, k], 12);
        }
        for (int j = 0; j < 4; j++)
        {
            double s = 0;
            for (int i = 0; i < 3; i++) for (int k = 0; k < 5; k++) s += X[i, j, k];
            Assert.Equal(s, s02[0, j, 0], 12);
            total += s;
        }
        Assert.Equal(total, X.Sum().ToScalar(), 11);
        Assert.Equal(total / 60, X.Mean().ToScalar(), 12);
    }

    [Fact]
    public void Max_min_and_argmax_along_an_axis_match_a_plain_loop()
    {
        var max = X.Max(2);
        var min = X.Min(0, keepDims: true);
        var arg = X.ArgMax(2);
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
        {
            double m = double.NegativeInfinity; int at = -1;
            for (int k = 0; k < 5; k++) if (X[i, j, k] > m) { m = X[i, j, k]; at = k; }
            Assert.Equal(m, max[i, j]);
            Assert.Equal(at, arg[i, j]);
        }
        for (int j = 0; j < 4; j++)
        for (int k = 0; k < 5; k++)
            Assert.Equal(Math.Min(X[0, j, k], Math.Min(X[1, j, k], X[2, j, k])), min[0, j, k]);
        Assert.Equal(new[] { 1, 4, 5 }, min.Shape);
    }

    [Fact]
    public void Argmax_without_an_axis_is_the_flat_index_of_the_first_maximum()
    {
        var x = Tensor.FromArray(new double[,] { { 1, 5, 2 }, { 5, 0, 3 } });
        Assert.Equal(1, x.ArgMax().ToScalar());
        Assert.Equal(new double[] { 1, 0 }, x.ArgMax(1).ToArray());
    }

    [Fact]
    public void Softmax_is_stable_for_large_inputs()
    {
        var x = Tensor.FromArray(new double[] { 1000, 1001, 1002 });
        var y = x.Softmax();
        double z = 1 + Math.Exp(-1) + Math.Exp(-2); // e^(x - 1002) summed
        Assert.Equal(new[] { Math.Exp(-2) / z, Math.Exp(-1) / z, 1 / z }, y.ToArray(), new Tolerance(1e-15));
        var log = x.LogSoftmax();
        Assert.Equal(-2 - Math.Log(z), log[0], 12);
        Assert.Equal(1002 + Math.Log(z), x.LogSumExp().ToScalar(), 10);
        var f = Tensor.FromArray(new float[] { -1e4f, 0, 1e4f }).Softmax();
        Assert.Equal(new float[] { 0, 0, 1 }, f.ToArray());
    }

    [Fact]
    public void Softmax_rows_sum_to_one_along_any_axis()
    {
        foreach (int axis in new[] { 0, 1, 2 })
        {
            var s = X.Softmax(axis).Sum(axis);
            Assert.All(s.ToArray(), v => Assert.Equal(1, v, 12));
            var e = X.LogSoftmax(axis).Exp().Sum(axis);
            Assert.All(e.ToArray(), v => Assert.Equal(1, v, 12));
        }
    }

    [Fact]
    public void Logsumexp_of_minus_infinity_everywhere_is_minus_infinity()
    {
        var x = Tensor<double>.Full(double.NegativeInfinity, 3);
        Assert.Equal(double.NegativeInfinity, x.LogSumExp().ToScalar());
    }

    [Fact]
    public void Max_of_an_empty_tensor_and_a_bad_axis_throw_with_the_shape()
    {
        Assert.Contains("(0, 3)", Assert.Throws<NablaException>(() => Tensor<double>.Zeros(0, 3).Max(0)).Message);
        Assert.Equal("axis 2 is out of range for a tensor of rank 2 in sum", Assert.Throws<NablaException>(() => X.Sum(0).Sum(2)).Message);
        Assert.Equal(new double[] { 0, 0, 0 }, Tensor<double>.Zeros(0, 3).Sum(0).ToArray());
    }

    [Fact]
    public void Max_gradient_is_split_evenly_between_ties()
    {
        var x = Tensor.FromArray(new double[] { 1, 3, 3, 2 }).RequireGrad();
        x.Max().Backward();
        Assert.Equal(new double[] { 0, 0.5, 0.5, 0 }, x.Grad!.ToArray());
    }

    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;
        public int GetHashCode(double x) => 0;
    }
}
