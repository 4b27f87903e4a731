using System.Globalization;

namespace Nabla.Tests.Samples;

[Collection(SampleRunner.Collection)]
public class CustomFunctionSampleTests
{
    static double After(string output, string prefix)
    {
        int start = output.IndexOf(prefix, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{prefix}' not in:\n{output}");
        start += prefix.Length;
        return double.Parse(output[start..output.IndexOf('\n', start)], CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Custom_function_sample_checks_its_log_sum_exp_and_trains_as_the_built_in_one_does()
    {
        string output = SampleRunner.Run("custom-function.cs");
        Assert.StartsWith("gradient check passed for LogSumExp: 36 Jacobian entries", output);
        Assert.Contains("; Jvp agrees with Backward on 36 entries\n", output);
        Assert.Contains("naive log(sum(exp([1000, 1000]))) = Infinity\n", output);
        Assert.Equal(1000 + Math.Log(2), After(output, "LogSumExp([1000, 1000]) = "), 1e-12);
        Assert.InRange(After(output, "max |difference| = "), 0, 1e-15);
        double first = After(output, "step   0: loss "), last = After(output, "step 200: loss ");
        Assert.True(last < first / 10, $"the loss fell from {first} to only {last}");
        double custom = After(output, "final loss, custom LogSumExp: "), builtIn = After(output, "final loss, built-in LogSumExp: ");
        Assert.Equal(builtIn, custom, 1e-12 * builtIn);
    }
}
