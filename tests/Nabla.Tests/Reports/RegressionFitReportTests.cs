using Nabla.Records;
using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.Reports;
using Nabla.Serialization;
using Nabla.Tests.Cli;

namespace Nabla.Tests.Reports;

/// <summary>
/// A regression's report plots predicted against actual on the validation rows: one point per row, at coordinates
/// that follow from the saved model's predictions, computed here by hand from the model file (a plain-loop forward
/// pass of its weights, standardisation and target scale), and the y = x line across the shared axis range.
/// </summary>
public sealed partial class RegressionFitReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-fit-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex("<svg id=\"fit-chart\"[^>]*data-min=\"([^\"]+)\" data-max=\"([^\"]+)\" data-box=\"([^\"]+)\" data-count=\"(\\d+)\"")]
    private static partial Regex ChartTag();

    [GeneratedRegex("<circle class=\"fit-point\" r=\"3\" cx=\"([^\"]+)\" cy=\"([^\"]+)\" data-actual=\"([^\"]+)\" data-predicted=\"([^\"]+)\">")]
    private static partial Regex Point();

    [GeneratedRegex("<line class=\"identity\" x1=\"([^\"]+)\" y1=\"([^\"]+)\" x2=\"([^\"]+)\" y2=\"([^\"]+)\"/>")]
    private static partial Regex Identity();

    [Fact]
    public void The_plot_of_the_fit_has_one_point_per_validation_row_where_the_models_prediction_puts_it()
    {
        // 60 rows with distinct targets, so each plotted actual value names its row.
        var xs = Enumerable.Range(0, 60).Select(i => -3 + 0.1 * i).ToArray();
        var ys = xs.Select((x, i) => Math.Round(Math.Sin(x) + 0.001 * i, 4)).ToArray();
        File.WriteAllLines(P("data.csv"), ["x,y", .. xs.Select((x, i) => string.Create(CultureInfo.InvariantCulture, $"{x:R},{ys[i]:R}"))]);
        var train = CliRunner.Run("train", "--data", P("data.csv"), "--target", "y", "--hidden", "4", "--epochs", "5",
            "--validation", "0.25", "--save", P("m.safetensors"), "--report", P("report.html"));
        Assert.True(train.Exit == 0, train.Err);
        int validationRows = int.Parse(Regex.Match(train.Out, @"(\d+) validation rows").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(15, validationRows);

        string html = File.ReadAllText(P("report.html"));
        Assert.Contains("<h2>Fit: predicted against actual (validation rows)</h2>", html);
        var chart = ChartTag().Match(html);
        Assert.True(chart.Success, "no svg#fit-chart with its range and box");
        double lo = D(chart.Groups[1].Value), hi = D(chart.Groups[2].Value);
        var box = chart.Groups[3].Value.Split(' ').Select(D).ToArray();   // left top right bottom
        Assert.Equal(validationRows, int.Parse(chart.Groups[4].Value, CultureInfo.InvariantCulture));
        var points = Point().Matches(html);
        Assert.Equal(validationRows, points.Count);

        // The model by hand: standardise x, Linear(1→4), ReLU, Linear(4→1), then back to y's units.
        var model = SafetensorsFile.Load(P("m.safetensors"));
        double xMean = D(model.Metadata["standardizer.mean"]), xStd = D(model.Metadata["standardizer.std"]);
        double yMean = D(model.Metadata["nabla.target_mean"]), yStd = D(model.Metadata["nabla.target_std"]);
        double[] w1 = model.Tensors["0.weight"].ToDoubleArray(), b1 = model.Tensors["0.bias"].ToDoubleArray();
        double[] w2 = model.Tensors["2.weight"].ToDoubleArray(), b2 = model.Tensors["2.bias"].ToDoubleArray();
        Assert.Equal(4, w1.Length);
        double Predict(double x)
        {
            double s = (x - xMean) / xStd, output = b2[0];
            for (int j = 0; j < 4; j++) output += w2[j] * Math.Max(0, w1[j] * s + b1[j]);
            return output * yStd + yMean;
        }

        double all = hi - lo;
        var rowsSeen = new HashSet<int>();
        foreach (Match m in points)
        {
            double cx = D(m.Groups[1].Value), cy = D(m.Groups[2].Value), actual = D(m.Groups[3].Value), predicted = D(m.Groups[4].Value);
            int row = Array.FindIndex(ys, y => Math.Abs(y - actual) < 1e-9);
            Assert.True(row >= 0, $"actual {actual} is no row's target");
            Assert.True(rowsSeen.Add(row), $"row {row} is plotted twice");
            double expected = Predict(xs[row]);
            Assert.True(Math.Abs(predicted - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"row {row}: plotted prediction {predicted:R}, by hand {expected:R}");
            Assert.InRange(actual, lo, hi);
            Assert.InRange(predicted, lo, hi);
            Assert.Equal(box[0] + (actual - lo) / all * (box[2] - box[0]), cx, 0.006);
            Assert.Equal(box[3] - (expected - lo) / all * (box[3] - box[1]), cy, 0.006);
        }

        // y = x from the range's lower-left corner to its upper-right one.
        var identity = Identity().Match(html);
        Assert.True(identity.Success, "no y = x line");
        Assert.Equal([box[0], box[3], box[2], box[1]], identity.Groups.Values.Skip(1).Select(g => D(g.Value)).ToArray());
    }

    [Fact]
    public void A_classifier_report_has_no_plot_of_the_fit()
    {
        var train = CliRunner.Run("train", "--dataset", "moons", "--epochs", "2", "--report", P("c.html"));
        Assert.True(train.Exit == 0, train.Err);
        Assert.DoesNotContain("id=\"fit-chart\"", File.ReadAllText(P("c.html")));
    }

    [Fact]
    public void A_run_record_whose_fit_lists_differ_in_length_is_refused_naming_the_field()
    {
        var run = SyntheticRuns.Regression();
        var bad = run with { Final = run.Final with { Fit = new RegressionFit { Actual = [1, 2], Predicted = [1] } } };
        var e = Assert.Throws<NablaException>(() => TrainingReport.Render(bad));
        Assert.Contains("final.fit.predicted", e.Message);
    }
}
