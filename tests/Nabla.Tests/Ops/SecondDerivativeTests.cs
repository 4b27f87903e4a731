using FsCheck;
using FsCheck.Fluent;
using Nabla.Ops;
using Nabla.Scalars;

namespace Nabla.Tests.Ops;

/// <summary>
/// Second derivatives of every op in the table, as PyTorch's gradgradcheck does it: the derivative of each op's
/// differentiable derivative rule (taken by forward mode on dual numbers) against central finite differences of
/// the op's first derivative. Step h = 1e-6 in double; pass when |analytic − numeric| ≤ 1e-5 + 1e-3·|numeric|.
/// Also checks that the differentiable rule (<c>DerivativeOf</c>) agrees with the fast one (<c>Derivative</c>),
/// so a rule stubbed out or copied wrong fails here.
/// </summary>
public class SecondDerivativeTests
{
    private const double Step = 1e-6, AbsTol = 1e-5, RelTol = 1e-3;

    private static Gen<double> In(Domain d) => OpSamples.In(d);

    private static void AssertClose(double analytic, double numeric, string what) =>
        OpSamples.AssertClose(analytic, numeric, AbsTol, RelTol, what, $"central differences of the first derivative, h = {Step}, double");

    [Theory, MemberData(nameof(OpSamples.UnaryNames), MemberType = typeof(OpSamples))]
    public void Unary_differentiable_rule_equals_the_fast_rule(string name)
    {
        var op = OpTable.FindUnary(name)!;
        Prop.ForAll(In(op.Domain).ToArbitrary(), x =>
        {
            double fast = op.Derivative(x, op.Apply(x));
            double lifted = op.DerivativeOf(new Dual(x), new Dual(op.Apply(x))).Real;
            Assert.True(Math.Abs(fast - lifted) <= 1e-14 * Math.Max(1, Math.Abs(fast)), $"{name}′({x:R}): Derivative {fast:R}, DerivativeOf {lifted:R}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Theory, MemberData(nameof(OpSamples.UnaryNames), MemberType = typeof(OpSamples))]
    public void Unary_second_derivative_matches_central_differences_of_the_first(string name)
    {
        var op = OpTable.FindUnary(name)!;
        double FirstDerivative(double x) => op.Derivative(x, op.Apply(x));
        Prop.ForAll(In(op.Domain).Where(x => op.Domain.Contains(x - 2 * Step) && op.Domain.Contains(x + 2 * Step)).ToArbitrary(), x =>
        {
            double numeric = (FirstDerivative(x + Step) - FirstDerivative(x - Step)) / (2 * Step);
            double ofRule = ForwardMode.Derivative(u => op.DerivativeOf(u, op.Apply(u)), x);
            double nested = ForwardMode.Derivative(u => ForwardMode.Derivative(w => op.Apply(w), u), x);
            AssertClose(ofRule, numeric, $"{name}″ at x = {x:R} (derivative of DerivativeOf)");
            AssertClose(nested, numeric, $"{name}″ at x = {x:R} (nested forward mode)");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Theory, MemberData(nameof(OpSamples.BinaryNames), MemberType = typeof(OpSamples))]
    public void Binary_differentiable_rules_equal_the_fast_rules(string name)
    {
        var op = OpTable.FindBinary(name)!;
        var pairs = In(op.DomainA).SelectMany(a => In(op.DomainB).Select(b => (a, b)));
        Prop.ForAll(pairs.ToArbitrary(), p =>
        {
            var (a, b) = p;
            double y = op.Apply(a, b);
            Assert.Equal(op.DerivativeA(a, b, y), op.DerivativeAOf(new Dual(a), new Dual(b), new Dual(y)).Real, 14);
            Assert.Equal(op.DerivativeB(a, b, y), op.DerivativeBOf(new Dual(a), new Dual(b), new Dual(y)).Real, 14);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Theory, MemberData(nameof(OpSamples.BinaryNames), MemberType = typeof(OpSamples))]
    public void Binary_hessian_matches_central_differences_of_the_gradient(string name)
    {
        var op = OpTable.FindBinary(name)!;
        var pairs = In(op.DomainA).SelectMany(a => In(op.DomainB).Select(b => (a, b)))
            .Where(p => name is not ("maximum" or "minimum") || Math.Abs(p.a - p.b) > 1e-3);
        Prop.ForAll(pairs.ToArbitrary(), p =>
        {
            var (a, b) = p;
            double Da(double u, double v) => op.DerivativeA(u, v, op.Apply(u, v));
            double Db(double u, double v) => op.DerivativeB(u, v, op.Apply(u, v));
            var h = ForwardMode.Hessian(x => op.Apply(x[0], x[1]), [a, b]);
            string at = $"({a:R}, {b:R})";
            AssertClose(h[0, 0], (Da(a + Step, b) - Da(a - Step, b)) / (2 * Step), $"∂²{name}/∂a² at {at}");
            AssertClose(h[0, 1], (Da(a, b + Step) - Da(a, b - Step)) / (2 * Step), $"∂²{name}/∂a∂b at {at}");
            AssertClose(h[1, 0], (Db(a + Step, b) - Db(a - Step, b)) / (2 * Step), $"∂²{name}/∂b∂a at {at}");
            AssertClose(h[1, 1], (Db(a, b + Step) - Db(a, b - Step)) / (2 * Step), $"∂²{name}/∂b² at {at}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }
}
