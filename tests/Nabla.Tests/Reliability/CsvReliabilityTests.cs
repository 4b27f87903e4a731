using Nabla.Data;
using Nabla.IO;
using Nabla.Tests.Cli;
using Nabla.Tests.IO;

namespace Nabla.Tests.Reliability;

/// <summary>Issue 11, item 6: huge feature values and huge bad cells.</summary>
public class CsvReliabilityTests
{
    [Fact]
    public void Features_of_plus_minus_1e200_standardise_to_the_exact_z_scores()
    {
        // Two values ±a have mean 0 and population std a, so they standardise to −1 and +1.
        var table = new Table(["x"], [1e200, -1e200, 1e200, -1e200]);
        var s = Standardizer.Fit(table);
        Assert.Equal(0.0, s.Means[0]);
        Assert.Equal(1e200, s.Stds[0]);
        Assert.Equal([1.0, -1.0, 1.0, -1.0], s.Transform(table).Values);
    }

    [Fact]
    public void Extreme_columns_match_a_two_pass_reference_computed_in_decimal_units()
    {
        double[] x = [1.5e300, -2.5e300, 7e299, 1.7e308, -1.7e308];
        var s = Standardizer.Fit(new Table(["x"], x));
        // Reference: the same statistics on x·1e-300 (no overflow there), scaled back by 1e300.
        double[] small = [.. x.Select(v => v * 1e-300)];
        double mean = small.Average(), std = Math.Sqrt(small.Select(v => (v - mean) * (v - mean)).Average());
        // The sum cancels ±1.7e308, so both carry rounding errors of a few ulps of 1.7e308, not of the mean.
        Assert.Equal(mean * 1e300, s.Means[0], 1.7e308 * 1e-14);
        Assert.Equal(std * 1e300, s.Stds[0], std * 1e300 * 1e-12);
    }

    [Fact]
    public void Training_on_1e200_features_runs_instead_of_exiting_70()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("big.csv"), "x,y\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{(i % 2 == 0 ? 1e200 : -1e200) * (1 + i / 100.0):R},{i % 2}\n")));
        var (exit, _, stderr) = CliRunner.Run("train", "--data", dir.File("big.csv"), "--target", "y", "--epochs", "2");
        Assert.True(exit == 0, stderr);
    }

    [Fact]
    public void A_fifty_megabyte_bad_cell_is_quoted_by_a_bounded_prefix()
    {
        var cell = new string('z', 50_000_000);
        var e = Assert.Throws<NablaException>(() => CsvLoader.LoadTable(new StringReader("a,b\n1," + cell + "\n"), new CsvOptions(), "big.csv"));
        Assert.StartsWith("big.csv:2: column 2 (\"b\"): \"" + new string('z', Excerpt.MaxLength) + "… (50,000,000 characters)\" is not a number", e.Message);
        Assert.True(e.Message.Length < 200, $"{e.Message.Length} characters");
    }

    [Fact]
    public void A_huge_column_name_is_bounded_in_the_message_that_names_it()
    {
        var name = new string('n', 1_000_000);
        var e = Assert.Throws<NablaException>(() => CsvLoader.LoadTable(new StringReader($"{name},{name}\n1,2\n"), new CsvOptions(), "dup.csv"));
        Assert.Contains("appears twice", e.Message);
        Assert.True(e.Message.Length < 200, $"{e.Message.Length} characters");
    }

    [Fact]
    public void Control_characters_in_a_quoted_cell_stay_on_one_line()
    {
        var e = Assert.Throws<NablaException>(() => CsvLoader.LoadTable(new StringReader("a\n\"x\ny\"\n"), new CsvOptions(), "q.csv"));
        Assert.Contains("\"x\\ny\" is not a number", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
