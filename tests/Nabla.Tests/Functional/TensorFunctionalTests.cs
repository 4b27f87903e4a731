using Nabla.Functional;
using Nabla.Tensors;
using Nabla.Tests.Tensors;

namespace Nabla.Tests.Functional;

/// <summary>
/// Vjp and Jacobian on every row of the tensor op table and every shape set, with respect to each input in turn:
/// the Jacobian against central differences of f (h = 1e-6, |a − n| ≤ 1e-5 + 1e-3·|n|), and the pullback's uᵀ·J
/// against uᵀ times that Jacobian for a random u.
/// </summary>
public class TensorFunctionalTests
{
    [Theory]
    [MemberData(nameof(TensorOpTableTests.Cases), MemberType = typeof(TensorOpTableTests))]
    public void Jacobian_and_pullback_match_central_differences(string op, int shapeSet)
    {
        var row = TensorOpTable.Find(op)!;
        var random = new Random(op.Length * 31 + shapeSet);
        var inputs = row.ShapeSets[shapeSet].Select((shape, i) => TensorOpTableTests.Sample(shape, row.Domains[i], random)).ToArray();
        const double h = 1e-6;
        for (int k = 0; k < inputs.Length; k++)
        {
            int which = k;
            Tensor<double> F(Tensor<double> x) => row.Build(inputs.Select((t, i) => i == which ? x : t).ToArray());
            var x0 = inputs[k];
            var (value, pullback) = TensorFunctional.Vjp(F, x0);
            var jacobian = TensorFunctional.Jacobian(F, x0).ToArray();
            int n = x0.ElementCount, m = value.ElementCount;
            Assert.Equal([.. value.Shape, .. x0.Shape], TensorFunctional.Jacobian(F, x0).Shape);

            var numeric = new double[m * n];
            for (int j = 0; j < n; j++)
            {
                var plus = x0.ToArray(); plus[j] += h;
                var minus = x0.ToArray(); minus[j] -= h;
                var fp = F(Tensor<double>.FromArray(plus, [.. x0.Shape])).ToArray();
                var fm = F(Tensor<double>.FromArray(minus, [.. x0.Shape])).ToArray();
                for (int i = 0; i < m; i++) numeric[i * n + j] = (fp[i] - fm[i]) / (2 * h);
            }
            for (int e = 0; e < numeric.Length; e++)
                Assert.True(Math.Abs(jacobian[e] - numeric[e]) <= 1e-5 + 1e-3 * Math.Abs(numeric[e]),
                    $"{op}, shapes {shapeSet}, input {k}: J[{e / Math.Max(n, 1)},{e % Math.Max(n, 1)}] reverse {jacobian[e]:R}, central differences {numeric[e]:R}");

            var u = Enumerable.Range(0, m).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var uJ = pullback(Tensor<double>.FromArray(u, [.. value.Shape])).ToArray();
            for (int j = 0; j < n; j++)
            {
                double expected = Enumerable.Range(0, m).Sum(i => u[i] * jacobian[i * n + j]);
                Assert.True(Math.Abs(uJ[j] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{op}, input {k}: (uᵀJ)[{j}] pullback {uJ[j]:R}, uᵀ·J {expected:R}");
            }
        }
    }

    [Fact]
    public void Pullback_refuses_a_seed_of_the_wrong_shape()
    {
        var (_, pullback) = TensorFunctional.Vjp(x => x * x, Tensor<double>.FromArray([1.0, 2.0, 3.0]));
        var error = Assert.Throws<NablaException>(() => pullback(Tensor<double>.FromArray([1.0, 2.0])));
        Assert.Contains("(3,)", error.Message);
        Assert.Contains("(2,)", error.Message);
    }

    [Fact]
    public void The_input_tensor_is_left_untouched()
    {
        var x = Tensor<double>.FromArray([1.0, 2.0]);
        TensorFunctional.Jacobian(t => t.Exp(), x);
        Assert.False(x.RequiresGrad);
        Assert.Null(x.Grad);
    }
}
