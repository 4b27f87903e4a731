using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Nabla.Records;
using Nabla.Reports;

namespace Nabla.Tests.Reports;

/// <summary>
/// The report opened in a real headless Chromium from a file:// URL. Without /usr/bin/chromium each test is reported
/// as skipped, with the reason.
/// </summary>
public class TrainingReportBrowserTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task The_page_opens_with_no_console_error_page_error_or_network_request()
    {
        var runs = new[] { SyntheticRuns.Classifier(), SyntheticRuns.Regression(), SyntheticRuns.PlaneRegression(), SyntheticRuns.ThreeClasses(), SyntheticRuns.OneEpoch(), DemoRun.Moons(epochs: 12) };
        foreach (var run in runs)
        {
            await using var report = await OpenAsync(run);
            if (report is null) return;
            if (run.Snapshots.Count > 1) await report.Page.Locator("#epoch-slider").FillAsync("0");
            await report.Page.Locator("circle.neuron").Last.HoverAsync();
            Assert.Empty(report.Problems);
            bool plane = run.Settings.Layers[0] == 2;
            Assert.Equal(plane ? run.Snapshots[0].Grid!.Values.Count : 0, await report.Page.Locator("#heatmap rect.cell[fill^='rgb']").CountAsync());
        }
    }

    [Fact]
    public async Task The_diagram_has_one_circle_per_neuron_and_one_line_per_weight()
    {
        foreach (var (run, neurons, weights) in new[] { (SyntheticRuns.Classifier(), 2 + 3 + 1, 2 * 3 + 3 * 1), (SyntheticRuns.Regression(), 1 + 4 + 1, 4 + 4) })
        {
            await using var report = await OpenAsync(run);
            if (report is null) return;
            Assert.Equal(neurons, await report.Page.Locator("svg#network circle.neuron").CountAsync());
            Assert.Equal(weights, await report.Page.Locator("svg#network line.weight").CountAsync());
            for (int l = 0; l < run.Settings.Layers.Count; l++)
                Assert.Equal(run.Settings.Layers[l], await report.Page.Locator($"circle.neuron[data-layer=\"{l}\"]").CountAsync());
        }
    }

    [Fact]
    public async Task The_page_starts_at_the_last_snapshot()
    {
        var run = SyntheticRuns.Classifier();
        await using var report = await OpenAsync(run);
        if (report is null) return;
        Assert.Equal("4", await report.Page.Locator("#epoch-slider").InputValueAsync());
        AssertDrawn(run.Snapshots[4], await Drawn(report));
    }

    [Fact]
    public async Task Moving_the_slider_draws_each_snapshots_recorded_weights_and_biases()
    {
        var run = SyntheticRuns.Classifier();
        await using var report = await OpenAsync(run);
        if (report is null) return;
        foreach (int k in new[] { 0, 3, 1, 2, 4 })
        {
            await report.Page.Locator("#epoch-slider").FillAsync(k.ToString(CultureInfo.InvariantCulture));
            AssertDrawn(run.Snapshots[k], await Drawn(report));
            Assert.Contains($"epoch {run.Snapshots[k].Epoch}", await report.Page.Locator("#epoch-label").TextContentAsync());
        }
        Assert.Empty(report.Problems);
    }

    [Fact]
    public async Task Weight_colour_shows_the_sign_and_width_grows_with_the_magnitude()
    {
        var run = SyntheticRuns.Classifier();
        await using var report = await OpenAsync(run);
        if (report is null) return;
        var lines = await report.EvalAsync<JsonElement>("""
            Array.from(document.querySelectorAll('line.weight')).map(l => [+l.dataset.value, l.getAttribute('stroke'), +l.getAttribute('stroke-width')])
            """);
        var drawn = lines.EnumerateArray().Select(e => (Value: e[0].GetDouble(), Stroke: e[1].GetString(), Width: e[2].GetDouble())).OrderBy(d => Math.Abs(d.Value)).ToArray();
        Assert.Contains(drawn, d => d.Value < 0);
        Assert.Contains(drawn, d => d.Value > 0);
        foreach (var d in drawn) Assert.Equal(d.Value >= 0 ? "rgb(37,99,235)" : "rgb(232,89,12)", d.Stroke);
        for (int i = 1; i < drawn.Length; i++) Assert.True(drawn[i].Width >= drawn[i - 1].Width, $"|w| {Math.Abs(drawn[i].Value)} is drawn thinner than |w| {Math.Abs(drawn[i - 1].Value)}");
    }

    [Fact]
    public async Task Hovering_a_weight_or_a_neuron_shows_its_value_and_gradient()
    {
        var run = SyntheticRuns.Classifier();
        await using var report = await OpenAsync(run);
        if (report is null) return;
        var tooltip = report.Page.Locator("#tooltip");
        await report.Page.Locator("circle.neuron[data-layer=\"1\"][data-index=\"2\"]").HoverAsync();
        Assert.True(await tooltip.IsVisibleAsync());
        string neuron = (await tooltip.TextContentAsync())!;
        Assert.Contains("h1.3", neuron);
        Assert.Contains(Short(run.Snapshots[4].Layers[0].Bias[2]), neuron);
        Assert.Contains(Short(run.Snapshots[4].Layers[0].BiasGrad![2]), neuron);

        await report.Page.Locator("line.weight[data-layer=\"1\"][data-from=\"1\"][data-to=\"0\"]").DispatchEventAsync("mouseover");
        string weight = (await tooltip.TextContentAsync())!;
        Assert.Contains("h1.2 → p(1)", weight);
        Assert.Contains(Short(run.Snapshots[4].Layers[1].Weight[0][1]), weight);
        Assert.Contains(Short(run.Snapshots[4].Layers[1].WeightGrad![0][1]), weight);
    }

    [Fact]
    public async Task Each_curve_has_one_point_per_recorded_epoch()
    {
        var run = SyntheticRuns.Classifier(epochs: 13);
        await using var report = await OpenAsync(run);
        if (report is null) return;
        foreach (var series in new[] { "loss", "validationLoss", "accuracy", "validationAccuracy" })
        {
            string points = (await report.Page.Locator($"polyline.series[data-series=\"{series}\"]").GetAttributeAsync("points"))!;
            Assert.Equal(run.Epochs.Count, points.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        }
        Assert.Equal(2, await report.Page.Locator("#loss-chart polyline.series").CountAsync());
        Assert.True(await report.Page.Locator("#loss-chart .axis text").CountAsync() >= 6, "the loss chart has too few tick labels");
    }

    [Fact]
    public async Task The_epoch_markers_follow_the_slider()
    {
        var run = SyntheticRuns.Classifier();
        await using var report = await OpenAsync(run);
        if (report is null) return;
        await report.Page.Locator("#epoch-slider").FillAsync("1");
        var markers = report.Page.Locator("line.epoch-marker");
        Assert.Equal(2, await markers.CountAsync());
        foreach (var marker in await markers.AllAsync())
            Assert.Equal(run.Snapshots[1].Epoch.ToString(CultureInfo.InvariantCulture), await marker.GetAttributeAsync("data-epoch"));
    }

    [Fact]
    public async Task The_heat_map_shows_each_snapshots_grid_under_the_data_points()
    {
        var run = SyntheticRuns.Classifier();
        await using var report = await OpenAsync(run);
        if (report is null) return;
        Assert.Equal(40, await report.Page.Locator("svg#heatmap circle.point").CountAsync());
        Assert.True(await report.EvalAsync<bool>("document.querySelector('#heatmap .cells').compareDocumentPosition(document.querySelector('#heatmap .points')) === Node.DOCUMENT_POSITION_FOLLOWING"),
            "the points are not drawn over the cells");
        foreach (int k in new[] { 2, 0 })
        {
            await report.Page.Locator("#epoch-slider").FillAsync(k.ToString(CultureInfo.InvariantCulture));
            var values = await report.EvalAsync<string[]>("Array.from(document.querySelectorAll('#heatmap rect.cell')).map(c => c.dataset.value)");
            Assert.Equal(run.Snapshots[k].Grid!.Values, values.Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
            Assert.NotEqual("", await report.Page.Locator("#heatmap path.boundary").GetAttributeAsync("d"));
        }
    }

    [Fact]
    public async Task Play_steps_through_every_snapshot_and_stops_at_the_last()
    {
        var run = SyntheticRuns.Classifier();
        await using var report = await OpenAsync(run);
        if (report is null) return;
        await report.EvalAsync<bool>("""
            (() => { window.seen = []; new MutationObserver(() => window.seen.push(+document.documentElement.dataset.snapshot))
              .observe(document.documentElement, { attributes: true, attributeFilter: ['data-snapshot'] }); return true; })()
            """);
        await report.Page.Locator("#play").ClickAsync();
        await report.Page.WaitForFunctionAsync("() => document.getElementById('play').textContent.includes('Play') && window.seen.length > 0");
        int[] seen = await report.EvalAsync<int[]>("window.seen");
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, seen);
    }

    [Fact]
    public async Task A_screenshot_of_a_real_run_is_saved()
    {
        var run = DemoRun.Moons();
        await using var report = await OpenAsync(run);
        if (report is null) return;
        await report.Page.Locator("#epoch-slider").FillAsync((run.Snapshots.Count - 1).ToString(CultureInfo.InvariantCulture));
        await report.Page.Locator("#epoch-slider").BlurAsync();
        string path = Path.Combine(AppContext.BaseDirectory, "screenshots", "report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await report.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, "the screenshot is suspiciously small");
        Assert.Empty(report.Problems);
        Assert.True(run.Final.ValidationAccuracy > 0.9, $"the demo run did not learn: validation accuracy {run.Final.ValidationAccuracy}");
        output.WriteLine($"screenshot: {path}");
    }

    private async Task<OpenReport?> OpenAsync(RunRecord run)
    {
        return await OpenReport.OpenAsync(chromium.Require(), TrainingReport.Render(run));
    }

    private static async Task<JsonElement> Drawn(OpenReport report) => await report.EvalAsync<JsonElement>("""
        ({ weights: Array.from(document.querySelectorAll('line.weight')).map(l => [+l.dataset.layer, +l.dataset.to, +l.dataset.from, l.dataset.value]),
           biases: Array.from(document.querySelectorAll('circle.neuron:not(.input)')).map(c => [+c.dataset.layer, +c.dataset.index, c.dataset.value]) })
        """);

    private static void AssertDrawn(RunSnapshot snapshot, JsonElement drawn)
    {
        int weights = 0;
        foreach (var w in drawn.GetProperty("weights").EnumerateArray())
        {
            int l = w[0].GetInt32(), o = w[1].GetInt32(), i = w[2].GetInt32();
            Assert.Equal(snapshot.Layers[l].Weight[o][i], double.Parse(w[3].GetString()!, CultureInfo.InvariantCulture));
            weights++;
        }
        Assert.Equal(snapshot.Layers.Sum(layer => layer.Weight.Sum(row => row.Count)), weights);
        foreach (var b in drawn.GetProperty("biases").EnumerateArray())
            Assert.Equal(snapshot.Layers[b[0].GetInt32() - 1].Bias[b[1].GetInt32()], double.Parse(b[2].GetString()!, CultureInfo.InvariantCulture));
    }

    /// <summary>The page's tooltip format: five significant digits.</summary>
    private static string Short(double v) => double.Parse(v.ToString("G5", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
}
