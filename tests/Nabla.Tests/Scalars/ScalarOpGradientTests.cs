using FsCheck;
using FsCheck.Fluent;
using Nabla.Ops;
using Nabla.Scalars;
using Nabla.Tests.Ops;

namespace Nabla.Tests.Scalars;

/// <summary>
/// Every op in the one table, checked against central finite differences at many random points in
/// its sampling domain. Step h = 1e-6 in double; pass when |analytic − numeric| ≤ 1e-7 + 1e-5·|numeric|.
/// </summary>
public class ScalarOpGradientTests
{
    private const double Step = 1e-6, AbsTol = 1e-7, RelTol = 1e-5;

    private static Gen<double> In(Domain d) => OpSamples.In(d);

    private static void AssertClose(double analytic, double numeric, string what) =>
        OpSamples.AssertClose(analytic, numeric, AbsTol, RelTol, what, $"central, h = {Step}");

    [Theory, MemberData(nameof(OpSamples.UnaryNames), MemberType = typeof(OpSamples))]
    public void Unary_derivative_matches_central_differences(string name)
    {
        var op = OpTable.FindUnary(name)!;
        Prop.ForAll(In(op.Domain).ToArbitrary(), x =>
        {
            var leaf = new Value(x);
            var y = Value.Apply(op, leaf);
            y.Backward();
            double numeric = (op.Apply(x + Step) - op.Apply(x - Step)) / (2 * Step);
            AssertClose(leaf.Grad, numeric, $"{name} at x = {x:R}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Theory, MemberData(nameof(OpSamples.BinaryNames), MemberType = typeof(OpSamples))]
    public void Binary_derivatives_match_central_differences(string name)
    {
        var op = OpTable.FindBinary(name)!;
        var pairs = In(op.DomainA).SelectMany(a => In(op.DomainB).Select(b => (a, b)))
            // max/min are not differentiable where the inputs tie
            .Where(p => name is not ("maximum" or "minimum") || Math.Abs(p.a - p.b) > 1e-3);
        Prop.ForAll(pairs.ToArbitrary(), p =>
        {
            var (a, b) = p;
            var la = new Value(a);
            var lb = new Value(b);
            Value.Apply(op, la, lb).Backward();
            AssertClose(la.Grad, (op.Apply(a + Step, b) - op.Apply(a - Step, b)) / (2 * Step), $"∂{name}/∂a at ({a:R}, {b:R})");
            AssertClose(lb.Grad, (op.Apply(a, b + Step) - op.Apply(a, b - Step)) / (2 * Step), $"∂{name}/∂b at ({a:R}, {b:R})");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void Relu_derivative_at_exactly_zero_is_zero()
    {
        var x = new Value(0.0);
        Value.Relu(x).Backward();
        Assert.Equal(0.0, x.Grad);
    }

    [Fact]
    public void Typed_operators_and_table_rows_compute_the_same()
    {
        var x = new Value(0.7);
        Assert.Equal(Math.Sin(0.7), Value.Sin(x).Data);
        Assert.Equal(Math.Exp(0.7), Value.Exp(x).Data);
        Assert.Equal(1 / (1 + Math.Exp(-0.7)), Value.Sigmoid(x).Data, 15);
        Assert.Equal(Math.Pow(0.7, 3), Value.Pow(x, 3).Data);
    }
}
