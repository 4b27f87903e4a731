using Nabla.Reports;

namespace Nabla.Tests.Reports.Charts;

/// <summary>Expected ticks worked out by hand: raw step = range / 5, rounded up to 1, 2 or 5 × 10ᵏ, ends floored/ceiled to the step.</summary>
public class NiceTicksTests
{
    public static TheoryData<double, double, double[]> LinearCases => new()
    {
        { 0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1] },            // raw 0.2 → step 0.2
        { 0, 100, [0, 20, 40, 60, 80, 100] },             // raw 20 → step 20
        { 0, 2.3, [0, 0.5, 1, 1.5, 2, 2.5] },             // raw 0.46 → step 0.5, last ⌈2.3/0.5⌉ = 5
        { -3.7, 12, [-5, 0, 5, 10, 15] },                 // raw 3.14 → step 5
        { 2.5, 97.5, [0, 20, 40, 60, 80, 100] },          // raw 19 → step 20
        { 0.001, 0.0043, [0.001, 0.002, 0.003, 0.004, 0.005] }, // raw 0.00066 → step 0.001
        { 1, 1, [0.9, 0.95, 1, 1.05, 1.1] },              // constant: widened to [0.9, 1.1], raw 0.04 → step 0.05
        { 0, 0, [-1, -0.5, 0, 0.5, 1] },                  // constant 0: widened to [-1, 1], raw 0.4 → step 0.5
        { 1200, 5300, [1000, 2000, 3000, 4000, 5000, 6000] }, // raw 820 → step 1000
        { 0.6, 1.4, [0.6, 0.8, 1, 1.2, 1.4] },           // raw 0.16 → step 0.2; 0.6 / 0.2 rounds to 2.9999999999999996 but is 3
    };

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Linear_ticks_are_multiples_of_one_two_or_five(double min, double max, double[] expected) =>
        Assert.Equal(expected, NiceTicks.Linear(min, max));

    [Fact]
    public void Log_ticks_are_the_decades_around_the_range()
    {
        Assert.Equal([0.001, 0.01, 0.1, 1, 10, 100], NiceTicks.Log10(0.003, 20));
        Assert.Equal([1, 10], NiceTicks.Log10(2, 3));
    }

    [Fact]
    public void Labels_are_short_and_switch_to_scientific_outside_1e_minus_4_to_1e6()
    {
        Assert.Equal(["0", "0.2", "-3", "1500", "1e+06", "2.5e-05"],
            new[] { 0, 0.2, -3, 1500, 1e6, 2.5e-5 }.Select(NiceTicks.Label).ToArray());
    }

    [Fact]
    public void Invalid_ranges_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceTicks.Linear(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceTicks.Linear(0, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceTicks.Log10(0, 10));
    }
}
