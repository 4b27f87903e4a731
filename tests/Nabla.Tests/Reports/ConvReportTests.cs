using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nabla.Records;
using Nabla.Reports;
using Nabla.Serialization;
using Nabla.Tests.Cli;

namespace Nabla.Tests.Reports;

/// <summary>
/// A conv net's report draws each convolution layer as filter images (checked in the page's HTML and, where
/// /usr/bin/chromium exists, in a real browser) and its linear layers as the usual diagram.
/// </summary>
public sealed class ConvReportTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-conv-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private const string Layers = "conv 6 5, relu, maxpool 2, flatten, linear 16, relu, linear 4";

    private RunRecord Train()
    {
        var train = CliRunner.Run("train", "--dataset", "shapes", "--samples", "120", "--layers", Layers, "--epochs", "3",
            "--save", P("m.safetensors"), "--record", P("run.json"), "--report", P("report.html"));
        Assert.True(train.Exit == 0, train.Err);
        return RunRecord.Load(P("run.json"));
    }

    [Fact]
    public void The_run_records_the_saved_filters_and_the_page_has_a_filters_card()
    {
        var run = Train();
        Assert.Equal(Layers, run.Settings.Architecture);
        // conv 6 5 on 16×16 gives 12×12, the pool 6×6: the linear chain starts at 6·6·6 inputs.
        Assert.Equal([216, 16, 4], run.Settings.Layers);
        var model = SafetensorsFile.Load(P("m.safetensors"));
        var last = run.Snapshots[^1].Filters!;
        Assert.Single(last);
        Assert.Equal("1", last[0].Name);
        Assert.Equal([6, 1, 5, 5], last[0].Shape);
        var saved = model.Tensors["1.weight"].ToDoubleArray();
        Assert.Equal(saved.Length, last[0].Weight.Count);
        for (int i = 0; i < saved.Length; i++) Assert.Equal(saved[i], last[0].Weight[i]);
        Assert.NotEqual(run.Snapshots[0].Filters![0].Weight, last[0].Weight);

        string html = File.ReadAllText(P("report.html"));
        Assert.Contains("<section class=\"card\" id=\"filters-card\"><h2>Convolution filters</h2>", html);
        Assert.Contains("<div id=\"filters\"", html);
        Assert.Matches(new Regex("<th scope=\"row\">architecture</th><td>" + Regex.Escape(Layers) + "</td>"), html);
    }

    [Fact]
    public void The_flattened_features_are_named_by_feature_map_row_and_column()
    {
        var run = Train();
        // conv 6 5 on 16×16 images gives 6 maps of 12×12, max-pooled to 6×6; flatten reads map by map, row by row.
        var inputs = run.Settings.Inputs;
        Assert.Equal(6 * 6 * 6, inputs.Count);
        for (int c = 0; c < 6; c++)
            for (int r = 0; r < 6; r++)
                for (int k = 0; k < 6; k++)
                    Assert.Equal($"map {c + 1} ({r + 1}, {k + 1})", inputs[(c * 6 + r) * 6 + k]);
        string html = File.ReadAllText(P("report.html"));
        Assert.Contains("<th scope=\"row\">inputs</th><td>216 features: 6 feature maps of 6 &#215; 6, flattened map by map, row by row (map 1 (1, 1) … map 6 (6, 6))</td>", html);
        Assert.DoesNotContain(">x1<", html);
    }

    [Fact]
    public void A_long_input_list_is_summarised_and_a_short_one_listed()
    {
        Assert.Equal("a, b", TrainingReport.InputsText(["a", "b"]));
        string[] pixels = [.. Enumerable.Range(0, 784).Select(i => "pixel" + i)];
        Assert.Equal("784 inputs: pixel0, pixel1, pixel2, …, pixel783", TrainingReport.InputsText(pixels));
    }

    [Fact]
    public void An_mlp_report_has_no_filters_card()
    {
        var train = CliRunner.Run("train", "--dataset", "moons", "--epochs", "2", "--report", P("mlp.html"));
        Assert.True(train.Exit == 0, train.Err);
        Assert.DoesNotContain("filters-card", File.ReadAllText(P("mlp.html")));
    }

    [Fact]
    public async Task The_browser_draws_one_square_per_filter_weight_coloured_by_sign_for_each_snapshot()
    {
        var browser = chromium.Require();
        var run = Train();
        await using var report = await OpenReport.OpenAsync(browser, File.ReadAllText(P("report.html")));
        Assert.Equal(6 * 25, await report.Page.Locator("svg.filters[data-layer='1'] rect.tap").CountAsync());
        Assert.Equal(6, await report.Page.Locator("svg.filters g.filter").CountAsync());
        Assert.Equal(3, await report.Page.Locator("svg#network text.caption").CountAsync());   // the linear chain: 216 → 16 → 4
        foreach (int k in new[] { run.Snapshots.Count - 1, 0 })
        {
            await report.Page.Locator("#epoch-slider").FillAsync(k.ToString(CultureInfo.InvariantCulture));
            var drawn = await report.EvalAsync<JsonElement>("""
                Array.from(document.querySelectorAll('svg.filters rect.tap')).map(r => [+r.closest('g.filter').dataset.out, +r.dataset.row, +r.dataset.col, r.dataset.value, r.getAttribute('fill')])
                """);
            var weight = run.Snapshots[k].Filters![0].Weight;
            foreach (var tap in drawn.EnumerateArray())
            {
                int o = tap[0].GetInt32(), r = tap[1].GetInt32(), c = tap[2].GetInt32();
                double want = weight[(o * 5 + r) * 5 + c];
                Assert.Equal(want, double.Parse(tap[3].GetString()!, CultureInfo.InvariantCulture), 12);
                var rgb = Regex.Matches(tap[4].GetString()!, @"\d+").Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
                // Positive weights tend to the report's blue (37, 99, 235), negative ones to its orange (232, 89, 12).
                if (Math.Abs(want) > 1e-3) Assert.True(want > 0 ? rgb[2] > rgb[0] : rgb[0] > rgb[2], $"weight {want} drawn {tap[4]}");
            }
        }
        Assert.Empty(report.Problems);
    }
}
