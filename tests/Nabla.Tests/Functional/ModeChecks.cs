using Nabla.Functional;
using Nabla.Tensors;

namespace Nabla.Tests.Functional;

/// <summary>
/// The checks every forward-mode and second-order test shares: J·v against central differences and against the
/// reverse-mode Jacobian times v, the pullback against vᵀ times the forward-mode Jacobian, and H·v against central
/// differences of the (reverse-mode) gradient, as PyTorch's gradgradcheck does.
/// </summary>
internal static class ModeChecks
{
    public static Tensor<double> RandomLike(int[] shape, Random random) =>
        Tensor<double>.FromArray(Enumerable.Range(0, Shapes.ElementCount(shape)).Select(_ => random.NextDouble() * 2 - 1).ToArray(), shape);

    private static Tensor<double> Along(Tensor<double> x, Tensor<double> v, double h) =>
        Tensor<double>.FromArray(x.ToArray().Zip(v.ToArray(), (a, b) => a + h * b).ToArray(), [.. x.Shape]);

    private static void Close(double expected, double actual, double atol, double rtol, string what) =>
        Assert.True(Math.Abs(expected - actual) <= atol + rtol * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    /// <summary>Forward mode against central differences, reverse mode and the pullback, for f at x (random v and u).</summary>
    public static void FirstOrder(Func<Tensor<double>, Tensor<double>> f, Tensor<double> x, Random random, string what)
    {
        var v = RandomLike([.. x.Shape], random);
        var (value, tangent) = TensorFunctional.Jvp(f, x, v);
        Tensor<double> y0;
        using (NoGrad.Scope()) y0 = f(x);
        Assert.Equal(y0.ToArray(), value.ToArray());
        Assert.Equal(value.Shape, tangent.Shape);

        const double h = 1e-6;
        var plus = f(Along(x, v, h)).ToArray();
        var minus = f(Along(x, v, -h)).ToArray();
        var t = tangent.ToArray();
        for (int i = 0; i < t.Length; i++)
            Close((plus[i] - minus[i]) / (2 * h), t[i], 1e-5, 1e-3, $"{what}: (J·v)[{i}] forward mode vs central differences");

        int m = value.ElementCount, n = x.ElementCount;
        var reverse = TensorFunctional.Jacobian(f, x, JacobianMode.Reverse).ToArray();
        var forward = TensorFunctional.Jacobian(f, x, JacobianMode.Forward).ToArray();
        var auto = TensorFunctional.Jacobian(f, x).ToArray();
        for (int e = 0; e < reverse.Length; e++)
        {
            Close(reverse[e], forward[e], 1e-12, 1e-10, $"{what}: J[{e / Math.Max(n, 1)},{e % Math.Max(n, 1)}] forward vs reverse mode");
            Assert.Equal(n < m ? forward[e] : reverse[e], auto[e]);
        }
        var vs = v.ToArray();
        for (int i = 0; i < m; i++)
            Close(Enumerable.Range(0, n).Sum(j => reverse[i * n + j] * vs[j]), t[i], 1e-12, 1e-10, $"{what}: (J·v)[{i}] forward mode vs reverse Jacobian times v");

        var u = RandomLike([.. value.Shape], random);
        var (_, pullback) = TensorFunctional.Vjp(f, x);
        var uJ = pullback(u).ToArray();
        var us = u.ToArray();
        for (int j = 0; j < n; j++)
            Close(Enumerable.Range(0, m).Sum(i => us[i] * forward[i * n + j]), uJ[j], 1e-12, 1e-10, $"{what}: (uᵀJ)[{j}] pullback vs uᵀ times the forward-mode Jacobian");
    }

    /// <summary>H·v of the scalar g at x against central differences of its reverse-mode gradient along v.</summary>
    public static void SecondOrder(Func<Tensor<double>, Tensor<double>> g, Tensor<double> x, Random random, string what)
    {
        var v = RandomLike([.. x.Shape], random);
        var hv = TensorFunctional.Hvp(g, x, v).ToArray();
        Assert.Equal(x.ElementCount, hv.Length);
        const double h = 1e-5;
        var plus = Gradient(g, Along(x, v, h));
        var minus = Gradient(g, Along(x, v, -h));
        for (int i = 0; i < hv.Length; i++)
            Close((plus[i] - minus[i]) / (2 * h), hv[i], 1e-5, 1e-3, $"{what}: (H·v)[{i}] reverse-over-forward vs central differences of the gradient");
    }

    /// <summary>∇g(x) by reverse mode.</summary>
    public static double[] Gradient(Func<Tensor<double>, Tensor<double>> g, Tensor<double> x)
    {
        var (value, pullback) = TensorFunctional.Vjp(g, x);
        return pullback(Tensor<double>.Ones([.. value.Shape])).ToArray();
    }

    /// <summary>All inputs as one flat vector, so second derivatives across inputs (∂²/∂a∂b) are checked too.</summary>
    public static Tensor<double> Pack(Tensor<double>[] inputs) =>
        Tensor<double>.FromArray(inputs.SelectMany(t => t.ToArray()).ToArray(), inputs.Sum(t => t.ElementCount));

    /// <summary>The inputs back out of a packed vector with recorded views (slice and reshape), so derivatives flow.</summary>
    public static Tensor<double>[] Unpack(Tensor<double> packed, int[][] shapes)
    {
        var parts = new Tensor<double>[shapes.Length];
        for (int i = 0, at = 0; i < shapes.Length; i++)
        {
            int n = Shapes.ElementCount(shapes[i]);
            parts[i] = packed.Slice(0, at, at + n).Reshape(shapes[i]);
            at += n;
        }
        return parts;
    }
}
