using Nabla.Checking;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// FunctionGradCheck passes right functions and fails wrong ones: a Backward 1% off against central differences, a Jvp
/// twice too large against Backward, with messages that name the function, the elements and both values.
/// </summary>
public class FunctionGradCheckTests
{
    static Tensor<double> X(int seed, params int[] shape) => CustomFunctionTests.Random<double>(seed, shape);

    [Fact]
    public void Right_functions_pass_both_checks_on_every_Jacobian_entry()
    {
        var report = FunctionGradCheck.Check(new CustomExp<double>(), [X(1, 2, 3)]);
        Assert.True(report.Passed, report.Message);
        Assert.True(report.JvpChecked);
        Assert.Equal(36, report.Backward.EntriesChecked);   // 6 outputs × 6 inputs
        Assert.Equal(36, report.JvpEntriesChecked);
        Assert.EndsWith("; Jvp agrees with Backward on 36 entries", report.Message);
        report.ThrowIfFailed();

        report = FunctionGradCheck.Check(new CustomMatMul<double>(), [X(2, 2, 3), X(3, 3, 2)]);
        Assert.True(report.Passed, report.Message);
        Assert.Equal(4 * 6 + 4 * 6, report.JvpEntriesChecked);
        Assert.True(FunctionGradCheck.Check(new CustomSoftmax<double>(), [X(4, 3, 4)]).Passed);
    }

    [Fact]
    public void Only_inputs_that_require_grad_are_checked_and_the_originals_are_untouched()
    {
        var (a, b) = (X(1, 2, 3).RequireGrad(), X(2, 3, 2));
        var (a0, b0) = (a.ToArray(), b.ToArray());
        var report = FunctionGradCheck.Check(new CustomMatMul<double>(), [a, b]);
        Assert.True(report.Passed, report.Message);
        Assert.Equal(4 * 6, report.Backward.EntriesChecked);
        Assert.Equal(4 * 6, report.JvpEntriesChecked);
        Assert.Null(a.Grad);
        Assert.Equal(a0, a.ToArray());
        Assert.Equal(b0, b.ToArray());
    }

    [Fact]
    public void A_wrong_Backward_fails_with_the_element_and_both_values()
    {
        var x = X(5, 2, 2);
        var report = FunctionGradCheck.Check(new ExpWrongBackward(), [x]);
        Assert.False(report.Passed);
        Assert.Equal(4, report.Backward.Mismatches.Count);   // the diagonal of the Jacobian; the zeros agree
        var m = report.Backward.Mismatches[0];
        double e00 = Math.Exp(x[0, 0]);
        Assert.Equal(1.01 * e00, m.Analytical, 1e-12 * e00);
        Assert.Equal(e00, m.Numerical, 1e-7 * e00);
        Assert.StartsWith("gradient check failed for ExpWrongBackward: mismatch for output 0 at (0, 0) with respect to input 0 at (0, 0): analytical ", report.Message);
        Assert.Contains("4 of 16 entries mismatch", report.Message);
        Assert.StartsWith("gradient check failed for ExpWrongBackward", Assert.Throws<NablaException>(report.ThrowIfFailed).Message);
    }

    [Fact]
    public void A_wrong_Jvp_fails_even_though_Backward_is_right()
    {
        var x = X(6, 3);
        var report = FunctionGradCheck.Check(new ExpWrongJvp(), [x]);
        Assert.True(report.Backward.Passed, report.Backward.Message);
        Assert.False(report.Passed);
        Assert.Equal(3, report.JvpMismatches.Count);
        var m = report.JvpMismatches[1];
        Assert.Equal([1], m.OutputIndex);
        Assert.Equal([1], m.InputIndex);
        Assert.Equal(2 * Math.Exp(x[1]), m.Forward, 1e-12);
        Assert.Equal(Math.Exp(x[1]), m.Reverse, 1e-12);
        Assert.StartsWith("Jvp check failed for ExpWrongJvp: forward mode (Jvp) and reverse mode (Backward) disagree on output at (0) with respect to input 0 at (0): Jvp ", report.Message);
        Assert.Contains("3 of 9 entries mismatch", report.Message);
        Assert.Throws<NablaException>(report.ThrowIfFailed);
    }

    [Fact]
    public void A_function_without_a_Jvp_is_checked_in_reverse_mode_only()
    {
        var report = FunctionGradCheck.Check(new ExpWithoutJvp<double>(), [X(7, 2)]);
        Assert.True(report.Passed, report.Message);
        Assert.False(report.JvpChecked);
        Assert.EndsWith("; no Jvp to check", report.Message);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Equal("function", Assert.Throws<NablaArgumentException>(() => FunctionGradCheck.Check(null!, [X(1, 2)])).Parameter);
        Assert.Equal("FunctionGradCheck.Check: input 0 for CustomExp is null",
            Assert.Throws<NablaArgumentException>(() => FunctionGradCheck.Check(new CustomExp<double>(), [null!])).Message);
        Assert.Equal("FunctionGradCheck.Check: eps is 0; it must be finite and > 0",
            Assert.Throws<NablaArgumentException>(() => FunctionGradCheck.Check(new CustomExp<double>(), [X(1, 2)], eps: 0)).Message);
        using (NoGrad.Scope())
            Assert.Contains("cannot run inside a NoGrad scope", Assert.Throws<NablaException>(() => FunctionGradCheck.Check(new CustomExp<double>(), [X(1, 2)])).Message);
    }
}
