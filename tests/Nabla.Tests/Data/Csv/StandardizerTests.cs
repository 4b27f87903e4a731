using Nabla.Data;

namespace Nabla.Tests.Data.Csv;

public class StandardizerTests
{
    [Fact]
    public void Mean_and_population_std_match_a_hand_computed_example()
    {
        // 2,4,4,4,5,5,7,9: mean 5, squared deviations sum to 32, 32 / 8 = 4, std 2.
        var table = new Table(["x"], [2, 4, 4, 4, 5, 5, 7, 9]);
        var s = Standardizer.Fit(table);
        Assert.Equal(5.0, s.Means[0]);
        Assert.Equal(2.0, s.Stds[0]);
        Assert.Equal(new[] { -1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2 }, s.Transform(table).Values);
    }

    [Fact]
    public void Statistics_come_from_the_training_rows_only()
    {
        // Column a: train rows 0 and 1 hold 1 and 3 -> mean 2, std 1; rows 2 and 3 (100, 1000) must not count.
        // Column b: train rows hold 10 and 30 -> mean 20, std 10.
        var table = new Table(["a", "b"], [1, 10, 3, 30, 100, -5, 1000, 7]);
        var s = Standardizer.Fit(table, [1, 0]);
        Assert.Equal(new[] { 2.0, 20 }, s.Means);
        Assert.Equal(new[] { 1.0, 10 }, s.Stds);
        Assert.Equal(new[] { -1.0, -1, 1, 1, 98, -2.5, 998, -1.3 }, s.Transform(table).Values);
    }

    [Fact]
    public void A_constant_column_gets_std_one_and_transforms_to_exactly_zero()
    {
        var table = new Table(["c", "v"], [0.1, 1, 0.1, 2, 0.1, 3]);
        var s = Standardizer.Fit(table);
        Assert.Equal(0.1, s.Means[0]);
        Assert.Equal(1.0, s.Stds[0]);
        var z = s.Transform(table).Values;
        Assert.Equal(new[] { 0.0, 0, 0 }, new[] { z[0], z[2], z[4] });
        Assert.All(z, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Inverse_transform_undoes_transform()
    {
        var s = new Standardizer([1.5, -2], [0.5, 4]);
        var values = new[] { 2.0, 6, 1, -2 };
        s.TransformInPlace(values);
        Assert.Equal(new[] { 1.0, 2, -1, 0 }, values);
        s.InverseTransformInPlace(values);
        Assert.Equal(new[] { 2.0, 6, 1, -2 }, values);
    }

    [Fact]
    public void The_string_dictionary_round_trips_every_bit()
    {
        var means = new[] { 0.1, 1.0 / 3, -0.0, 1e-310, -123456.789 };
        var stds = new[] { 1.0, Math.PI, 5e-324, 1e300, 2.0 / 3 };
        var dict = new Standardizer(means, stds).ToDictionary("norm.");
        Assert.Equal(new[] { "norm.mean", "norm.std" }, dict.Keys.Order());
        var back = Standardizer.FromDictionary(dict, "norm.");
        Assert.Equal(means.Select(BitConverter.DoubleToInt64Bits), back.Means.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(stds.Select(BitConverter.DoubleToInt64Bits), back.Stds.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void The_dictionary_format_is_comma_separated_invariant_numbers()
    {
        var dict = new Standardizer([1.5, -2], [0.25, 3]).ToDictionary();
        Assert.Equal("1.5,-2", dict["standardizer.mean"]);
        Assert.Equal("0.25,3", dict["standardizer.std"]);
    }

    [Fact]
    public void A_damaged_dictionary_is_reported_by_key()
    {
        var ex = Assert.Throws<NablaException>(() => Standardizer.FromDictionary(new Dictionary<string, string> { ["standardizer.mean"] = "1" }, source: "m.safetensors"));
        Assert.Equal("m.safetensors: \"standardizer.std\" is missing, so the standardizer cannot be restored", ex.Message);
        ex = Assert.Throws<NablaException>(() => Standardizer.FromDictionary(new Dictionary<string, string>
        {
            ["standardizer.mean"] = "1,x",
            ["standardizer.std"] = "1,1",
        }));
        Assert.Contains("\"standardizer.mean\" item 2 is \"x\", not a number", ex.Message);
        ex = Assert.Throws<NablaException>(() => Standardizer.FromDictionary(new Dictionary<string, string>
        {
            ["standardizer.mean"] = "1",
            ["standardizer.std"] = "0",
        }));
        Assert.Contains("not a finite positive number", ex.Message);
    }

    [Fact]
    public void Fitting_on_no_rows_is_an_error()
    {
        Assert.Throws<NablaException>(() => Standardizer.Fit(new Table(["x"], [1.0]), ReadOnlySpan<int>.Empty));
    }
}
