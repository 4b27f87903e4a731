using Nabla.Ops;
using Nabla.Scalars;

namespace Nabla.Tests.Ops;

/// <summary>
/// Each op states its derivative once (DerivativeOf); the kernels' Derivative must be that rule run on plain numbers,
/// bit for bit, including the special values where zero guards decide. GELU alone evaluates its rule more accurately.
/// </summary>
public class PlainDerivativeTests
{
    private static readonly double[] Special = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-320, -1e-320, 1e300, -1e300,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon];

    private static bool Same(double a, double b) => a.Equals(b) || (double.IsNaN(a) && double.IsNaN(b));

    [Fact]
    public void Unary_plain_derivative_is_the_rule_run_on_plain_numbers()
    {
        foreach (var op in OpTable.Unary.Where(o => o.Name != "gelu"))
            foreach (double x in Special)
            {
                double y = op.Apply(x);
                double rule = op.DerivativeOf<PlainNumber<double>>(x, y).Value;
                Assert.True(Same(rule, op.Derivative(x, y)), $"{op.Name}'({x:R}): rule {rule:R}, kernel {op.Derivative(x, y):R}");
            }
    }

    [Fact]
    public void Binary_plain_derivatives_are_the_rules_run_on_plain_numbers()
    {
        foreach (var op in OpTable.Binary)
            foreach (double a in Special)
                foreach (double b in Special)
                {
                    double y = op.Apply(a, b);
                    double ruleA = op.DerivativeAOf<PlainNumber<double>>(a, b, y).Value, ruleB = op.DerivativeBOf<PlainNumber<double>>(a, b, y).Value;
                    Assert.True(Same(ruleA, op.DerivativeA(a, b, y)), $"∂{op.Name}/∂a at ({a:R}, {b:R}): rule {ruleA:R}, kernel {op.DerivativeA(a, b, y):R}");
                    Assert.True(Same(ruleB, op.DerivativeB(a, b, y)), $"∂{op.Name}/∂b at ({a:R}, {b:R}): rule {ruleB:R}, kernel {op.DerivativeB(a, b, y):R}");
                }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(2.0)]
    [InlineData(-2.0)]
    [InlineData(1e-320)]   // 1/a overflows double: b·a^(b−1) would be 0·∞
    [InlineData(1e-45)]    // 1/a overflows float
    public void Pow_derivative_in_the_base_is_zero_where_the_exponent_is_zero(double a)
    {
        // PyTorch masks ∂(aᵇ)/∂a to 0 where b = 0, whatever a is (aᵇ is the constant 1 there).
        Assert.Equal(0.0, Pow.DerivativeA(a, 0.0, Pow.Apply(a, 0.0)));
        Assert.Equal(0f, Pow.DerivativeA((float)a, 0f, Pow.Apply((float)a, 0f)));
    }

    [Fact]
    public void Pow_keeps_the_mixed_second_derivative_at_a_zero_exponent()
    {
        // ∂/∂b (b·a^(b−1)) = a^(b−1)·(1 + b·ln a), which is 1/a at b = 0.
        const double a = 2.0;
        double mixed = ForwardMode.Derivative(b => Pow.DerivativeAOf(new Dual(a), b, Dual.Apply<Pow>(new Dual(a), b)), 0.0);
        Assert.Equal(1 / a, mixed, 15);
    }
}
