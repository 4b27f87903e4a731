using System.Xml.Linq;
using Nabla.Reports;

namespace Nabla.Tests.Reports.Charts;

public class LineChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Render(LineChart chart) => XDocument.Parse(chart.ToSvg()).Root!;

    private static List<XElement> Polylines(XElement svg) => svg.Descendants(Svg + "polyline").ToList();

    private static int PointCount(XElement polyline)
    {
        string points = (string)polyline.Attribute("points")!;
        return points.Length == 0 ? 0 : points.Split(' ').Length;
    }

    private static string[] Labels(XElement svg, string cls) =>
        svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == cls).Select(t => t.Value).ToArray();

    [Fact]
    public void Output_is_svg_with_one_polyline_per_series_and_one_point_per_value()
    {
        var chart = new LineChart { Title = "Loss", XLabel = "epoch", YLabel = "loss" }
            .Add("train", [1, 2, 3, 4], [0.9, 0.5, 0.3, 0.2])
            .Add("valid", [1, 2, 3], [1.0, 0.7, 0.6]);
        var svg = Render(chart);
        Assert.Equal(Svg + "svg", svg.Name);
        var lines = Polylines(svg);
        Assert.Equal(2, lines.Count);
        Assert.Equal([4, 3], lines.Select(PointCount).ToArray());
        Assert.Equal(["train", "valid"], lines.Select(l => (string)l.Attribute("data-name")!).ToArray());
        Assert.NotEqual((string)lines[0].Attribute("stroke")!, (string)lines[1].Attribute("stroke")!);
        Assert.Contains(svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend").Descendants(Svg + "text"), t => t.Value == "valid");
    }

    [Fact]
    public void Tick_labels_are_the_nice_numbers_for_the_data_range()
    {
        // x in [1, 4]: raw step 0.6 → 1 → ticks 1..4; y in [0.2, 0.9]: raw 0.14 → 0.2 → ticks 0.2..1 (⌈0.9/0.2⌉ = 5)
        var svg = Render(new LineChart().Add("s", [1, 2, 3, 4], [0.9, 0.5, 0.3, 0.2]));
        Assert.Equal(["1", "2", "3", "4"], Labels(svg, "x-tick"));
        Assert.Equal(["0.2", "0.4", "0.6", "0.8", "1"], Labels(svg, "y-tick"));
    }

    [Fact]
    public void Log_scale_uses_decade_ticks()
    {
        var svg = Render(new LineChart { LogY = true }.Add("loss", [2.5, 0.3, 0.04, 0.007]));
        Assert.Equal(["0.001", "0.01", "0.1", "1", "10"], Labels(svg, "y-tick"));
        Assert.Equal(4, PointCount(Polylines(svg)[0]));
    }

    [Fact]
    public void Non_finite_points_are_skipped_and_noted()
    {
        var svg = Render(new LineChart().Add("s", [1, 2, 3, 4, 5], [1, double.NaN, 3, double.PositiveInfinity, 2]));
        Assert.Equal(3, PointCount(Polylines(svg)[0]));
        Assert.Contains("2 points skipped", Labels(svg, "note").Single());
    }

    [Fact]
    public void Non_positive_values_are_skipped_on_a_log_axis()
    {
        var svg = Render(new LineChart { LogY = true }.Add("s", [1.0, 0.0, -1.0, 0.1]));
        Assert.Equal(2, PointCount(Polylines(svg)[0]));
        Assert.Contains("y ≤ 0", Labels(svg, "note").Single());
    }

    [Fact]
    public void A_single_point_and_a_constant_series_still_render()
    {
        var single = Render(new LineChart().Add("one", [5], [3]));
        Assert.Equal(1, PointCount(Polylines(single)[0]));
        Assert.Single(single.Descendants(Svg + "circle"));
        // x widened to [4.5, 5.5]: raw step 0.2 → step 0.2, ends ⌊22.5⌋ · 0.2 = 4.4 and ⌈27.5⌉ · 0.2 = 5.6
        Assert.Equal(["4.4", "4.6", "4.8", "5", "5.2", "5.4", "5.6"], Labels(single, "x-tick"));

        var constant = Render(new LineChart().Add("flat", [2.0, 2.0, 2.0]));
        Assert.Equal(["1.8", "1.9", "2", "2.1", "2.2"], Labels(constant, "y-tick")); // [1.8, 2.2], raw 0.08 → step 0.1
        Assert.DoesNotContain(constant.Descendants(Svg + "polyline").Single().Attribute("points")!.Value, "NaN");
    }

    [Fact]
    public void Text_is_escaped_and_an_empty_chart_is_still_valid()
    {
        var svg = Render(new LineChart { Title = "a < b & \"c\"" }.Add("<none>", [double.NaN]));
        Assert.Equal("a < b & \"c\"", svg.Element(Svg + "title")!.Value);
        Assert.Equal("no drawable points", Labels(svg, "note").Single());
    }

    [Fact]
    public void Mismatched_lengths_and_tiny_sizes_throw()
    {
        Assert.Throws<ArgumentException>(() => new LineChart().Add("s", [1, 2], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineChart { Width = 10 });
    }
}
