using System.Globalization;
using Nabla.Checking;

namespace Nabla.Tests.Checking;

public class GradCheckTests
{
    private static Dictionary<string, double> At(params (string Name, double Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Correct_gradients_pass_central_differences()
    {
        // f = sin(a)·b: ∂f/∂a = cos(a)·b, ∂f/∂b = sin(a).
        var at = At(("a", 0.7), ("b", -1.3));
        var report = GradCheck.Check(v => Math.Sin(v["a"]) * v["b"], at, At(("a", Math.Cos(0.7) * -1.3), ("b", Math.Sin(0.7))));
        Assert.True(report.Passed);
        Assert.Null(report.Message);
        Assert.All(report.Entries, e => Assert.True(e.AbsError < 1e-8, $"{e.Name}: {e.AbsError}"));
        Assert.Equal(["a", "b"], report.Entries.Select(e => e.Name));
    }

    [Fact]
    public void A_wrong_gradient_fails_with_a_message_naming_the_variable_values_step_and_method()
    {
        var at = At(("a", 2.0), ("b", 3.0));
        // f = a·b: ∂f/∂a = 3 is right; 4.5 for ∂f/∂b is wrong (it is 2).
        var report = GradCheck.Check(v => v["a"] * v["b"], at, At(("a", 3.0), ("b", 4.5)));
        Assert.False(report.Passed);
        var worst = Assert.IsType<GradCheckEntry>(report.Worst);
        Assert.Equal("b", worst.Name);
        string message = report.Message!;
        Assert.StartsWith("Gradient check failed: mismatch with respect to b (central differences, step 1E-06),", message);
        Assert.Contains($"numerical: {worst.Numeric.ToString("R", CultureInfo.InvariantCulture)}\n", message);
        Assert.Contains("analytical: 4.5\n", message);
        Assert.Contains("1 of 2 variables failed.", message);
        // The numerical value in the message parses back to the exact double the check computed.
        string numeric = message.Split('\n').Single(l => l.StartsWith("numerical: "))["numerical: ".Length..];
        Assert.Equal(worst.Numeric, double.Parse(numeric, CultureInfo.InvariantCulture));
        Assert.Equal(2.0, worst.Numeric, 8);
        var thrown = Assert.Throws<GradCheckException>(report.EnsurePassed);
        Assert.Equal(message, thrown.Message);
    }

    [Fact]
    public void The_worst_of_several_failures_is_the_one_furthest_past_its_tolerance()
    {
        var at = At(("a", 1.0), ("b", 1.0), ("c", 1.0));
        // f = a + 2b + 3c; a is right, b is off by 0.1 (of 2), c by 1 (of 3).
        var report = GradCheck.Check(v => v["a"] + 2 * v["b"] + 3 * v["c"], at, At(("a", 1.0), ("b", 2.1), ("c", 4.0)));
        Assert.Equal("c", report.Worst!.Name);
        Assert.Equal(2, report.Entries.Count(e => !e.Passed));
    }

    [Fact]
    public void Forward_and_central_differ_in_method_on_a_steep_function()
    {
        // f = exp(100x) at 0: f' = 100. Forward differences err by about h·f''/2 = 5e-3 > 1e-8 + 1e-5·100;
        // central differences err by about h²·f'''/6 ≈ 2e-7, far inside 1e-5 + 1e-3·100.
        var at = At(("x", 0.0));
        var analytic = At(("x", 100.0));
        var forward = GradCheck.Check(v => Math.Exp(100 * v["x"]), at, analytic, GradCheckOptions.Forward);
        var central = GradCheck.Check(v => Math.Exp(100 * v["x"]), at, analytic, GradCheckOptions.Central);
        Assert.False(forward.Passed);
        Assert.True(central.Passed);
        Assert.Contains("forward differences", forward.Message);
        Assert.InRange(forward.Entries[0].Numeric - 100, 4e-3, 6e-3);
    }

    [Fact]
    public void Forward_and_central_differ_in_tolerance()
    {
        // f = 3x is linear, so both differences are exact up to rounding; an analytic value 1e-4 too large
        // (relative) is inside central's rtol 1e-3 and outside forward's rtol 1e-5.
        var at = At(("x", 0.5));
        var analytic = At(("x", 3 * (1 + 1e-4)));
        Assert.False(GradCheck.Check(v => 3 * v["x"], at, analytic, GradCheckOptions.Forward).Passed);
        Assert.True(GradCheck.Check(v => 3 * v["x"], at, analytic, GradCheckOptions.Central).Passed);
        Assert.Equal((1e-8, 1e-5), (GradCheckOptions.Forward.AbsoluteTolerance, GradCheckOptions.Forward.RelativeTolerance));
        Assert.Equal((1e-5, 1e-3), (GradCheckOptions.Central.AbsoluteTolerance, GradCheckOptions.Central.RelativeTolerance));
    }

    [Fact]
    public void The_step_is_the_distance_the_variable_moves()
    {
        // f = x³ at 1 with h = 1e-3: forward ((1.001)³ − 1)/h = 3.003001; central ((1.001)³ − (0.999)³)/2h = 3 + h² = 3.000001.
        var at = At(("x", 1.0));
        var analytic = At(("x", 3.0));
        var forward = GradCheck.Check(v => Math.Pow(v["x"], 3), at, analytic, GradCheckOptions.Forward with { Step = 1e-3 });
        var central = GradCheck.Check(v => Math.Pow(v["x"], 3), at, analytic, GradCheckOptions.Central with { Step = 1e-3 });
        Assert.Equal(3.003001, forward.Entries[0].Numeric, 9);
        Assert.Equal(3.000001, central.Entries[0].Numeric, 9);
    }

    [Fact]
    public void Non_finite_values_fail()
    {
        var at = At(("x", 0.0));
        var report = GradCheck.Check(v => Math.Sqrt(v["x"]), at, At(("x", double.PositiveInfinity)));
        Assert.False(report.Passed);
        Assert.Equal(double.PositiveInfinity, report.Worst!.Excess);
    }

    [Fact]
    public void Relative_error_is_the_difference_over_the_larger_magnitude()
    {
        var entry = GradCheck.Compare("x", 2.0, 1.0, GradCheckOptions.Central);
        Assert.Equal(1.0, entry.AbsError);
        Assert.Equal(0.5, entry.RelError);
        Assert.Equal(0.0, GradCheck.Compare("x", 0.0, 0.0, GradCheckOptions.Central).RelError);
    }

    [Fact]
    public void A_step_that_is_not_positive_is_refused()
    {
        Assert.Throws<NablaException>(() => GradCheckOptions.Central with { Step = 0 });
        Assert.Throws<NablaException>(() => GradCheckOptions.Central with { Step = double.NaN });
    }

    [Fact]
    public void A_variable_with_no_value_is_refused()
    {
        Assert.Throws<NablaException>(() => GradCheck.Check(v => v["x"], At(("x", 1.0)), At(("y", 1.0))));
    }

    [Fact]
    public void The_function_sees_the_point_unchanged_after_the_check()
    {
        var at = At(("x", 1.0), ("y", 2.0));
        GradCheck.Check(v => v["x"] * v["y"], at, At(("x", 2.0), ("y", 1.0)));
        Assert.Equal(At(("x", 1.0), ("y", 2.0)), at);
    }
}
