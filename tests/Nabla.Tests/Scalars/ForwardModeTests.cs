using Nabla.Scalars;

namespace Nabla.Tests.Scalars;

public class ForwardModeTests
{
    private static void Close(double expected, double actual, double tol, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tol * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void Nested_derivatives_do_not_confuse_perturbations()
    {
        // d/dx (x · d/dy (x + y)) = d/dx (x · 1) = 1; a single untagged ε would give 2.
        Dual Outer(Dual x) => x * ForwardMode.Derivative(y => x + y, new Dual(2));
        Assert.Equal(1.0, ForwardMode.Derivative(Outer, 1.0));
        Assert.Equal(1.0, ForwardMode.Derivative(Outer, 5.0));
    }

    [Fact]
    public void Inner_derivative_that_depends_on_the_outer_variable_is_differentiated_by_the_outer_one()
    {
        // d/dx (x · d/dy (x·y)) = d/dx (x·x) = 2x.
        double result = ForwardMode.Derivative(x => x * ForwardMode.Derivative(y => x * y, new Dual(3)), 1.5);
        Assert.Equal(3.0, result);
    }

    [Fact]
    public void Derivatives_nest_to_third_order()
    {
        // d³/dx³ sin x = −cos x; d³/dx³ exp(2x) = 8·exp(2x).
        double x = 0.7;
        double third = ForwardMode.Derivative(a => ForwardMode.Derivative(b => ForwardMode.Derivative(c => Value_Sin(c), b), a), x);
        Close(-Math.Cos(x), third, 1e-14, "sin‴");
        double exp3 = ForwardMode.Derivative(a => ForwardMode.Derivative(b => ForwardMode.Derivative(c => Dual.Apply<Nabla.Ops.Exp>(c * 2), b), a), x);
        Close(8 * Math.Exp(2 * x), exp3, 1e-14, "exp(2x)‴");
    }

    private static Dual Value_Sin(Dual x) => Dual.Apply<Nabla.Ops.Sin>(x);

    [Fact]
    public void Plain_numbers_and_constants_carry_no_tangent()
    {
        Assert.Equal(0.0, ForwardMode.Derivative(_ => new Dual(4), 1.0));
        Assert.Equal(3.0, ForwardMode.Derivative(x => x * 3 + 7, 1.0));
    }

    [Theory]
    [InlineData(1), InlineData(2), InlineData(3), InlineData(4), InlineData(5), InlineData(6), InlineData(7), InlineData(8)]
    public void Forward_mode_on_random_programs_equals_reverse_mode(int seed)
    {
        double[] x = [0.3, -0.8, 1.4];
        var leaves = x.Select(v => new Value(v)).ToArray();
        var output = RandomPrograms.Run<Value>(seed, leaves);
        output.Backward();

        // J·v for one direction equals the reverse-mode gradient dotted with v.
        double[] v = [0.5, -1.25, 2.0];
        var (value, tangent) = ForwardMode.Jvp(d => RandomPrograms.Run(seed, d), x, v);
        Assert.Equal(output.Data, value);
        Close(leaves.Select((l, i) => l.Grad * v[i]).Sum(), tangent, 1e-12, $"J·v, program {seed}");

        var gradient = ForwardMode.Gradient(d => RandomPrograms.Run(seed, d), x);
        for (int i = 0; i < x.Length; i++) Close(leaves[i].Grad, gradient[i], 1e-12, $"∂f/∂x{i}, program {seed}");

        // Tangents replayed on the recorded graph agree too.
        for (int i = 0; i < x.Length; i++) Close(leaves[i].Grad, output.Tangents(leaves[i])[output], 1e-12, $"graph tangent x{i}, program {seed}");
    }

    [Theory]
    [InlineData(1), InlineData(2), InlineData(3), InlineData(4), InlineData(5), InlineData(6)]
    public void Hessians_by_nested_forward_and_forward_over_reverse_agree_with_finite_differences_of_the_gradient(int seed)
    {
        double[] x = [0.3, -0.8, 1.4];
        var nested = ForwardMode.Hessian(d => RandomPrograms.Run(seed, d), x);
        var leaves = x.Select(v => new Value(v)).ToArray();
        var overReverse = RandomPrograms.Run<Value>(seed, leaves).Hessian(leaves);

        double[] Gradient(double[] at)
        {
            var l = at.Select(v => new Value(v)).ToArray();
            RandomPrograms.Run<Value>(seed, l).Backward();
            return l.Select(n => n.Grad).ToArray();
        }
        const double h = 1e-6;
        for (int j = 0; j < x.Length; j++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            var gp = Gradient(plus);
            var gm = Gradient(minus);
            for (int i = 0; i < x.Length; i++)
            {
                double numeric = (gp[i] - gm[i]) / (2 * h);
                Assert.True(Math.Abs(nested[i, j] - numeric) <= 1e-5 + 1e-3 * Math.Abs(numeric),
                    $"program {seed}: H[{i},{j}] nested forward {nested[i, j]:R}, numeric {numeric:R}");
                Close(nested[i, j], overReverse[i, j], 1e-10, $"program {seed}: H[{i},{j}] forward-over-reverse");
            }
        }
    }

    [Fact]
    public void Hessian_of_a_known_function()
    {
        // f = x²y + sin(y): H = [[2y, 2x], [2x, −sin y]].
        var h = ForwardMode.Hessian(v => v[0] * v[0] * v[1] + Dual.Apply<Nabla.Ops.Sin>(v[1]), [1.5, 0.25]);
        Assert.Equal(0.5, h[0, 0], 14);
        Assert.Equal(3.0, h[0, 1], 14);
        Assert.Equal(3.0, h[1, 0], 14);
        Assert.Equal(-Math.Sin(0.25), h[1, 1], 14);
    }

    [Fact]
    public void A_dual_number_refuses_parts_with_its_own_or_a_later_perturbation()
    {
        long tag = Dual.NewTag();
        var inner = Dual.Perturbed(tag, 1, 1);
        Assert.Throws<ArgumentException>(() => Dual.Perturbed(tag, inner, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dual.Perturbed(0, 1, 1));
    }
}
