using System.Globalization;
using System.Text;
using Nabla.IO;
using Nabla.Reports.Assets;
using Nabla.Records;

namespace Nabla.Reports;

/// <summary>
/// The interactive training report: one self-contained HTML page (see <see cref="ReportPage"/>) that shows a run's
/// network as an SVG diagram whose lines are the weights (colour = sign, width = magnitude, hover = value and
/// gradient), a slider and a play button over the recorded snapshots that redraw it, the loss curves (and accuracy
/// for a classifier) with a marker at the slider's epoch, for two inputs the model's output over the input plane as
/// a heat map under the data points, for a regression its predictions against the actual values (SVG drawn here), and
/// the settings and final metrics. The run is embedded as JSON in
/// <c>&lt;script type="application/json" id="run-data"&gt;</c>; the page's script draws everything from it. A layer with
/// more weights than <see cref="ReportView.MaxLines"/> is drawn as each neuron's strongest weights, so a wide network
/// gives a page of a few megabytes that a browser opens at once.
/// </summary>
public static partial class TrainingReport
{
    /// <summary>The id of the element holding the embedded run JSON.</summary>
    public const string DataElementId = "run-data";

    /// <summary>The id of the element holding which weights of wide layers are drawn (see <see cref="ReportView"/>).</summary>
    public const string ViewElementId = "report-view";

    /// <summary>The page for <paramref name="run"/>, validated first.</summary>
    /// <param name="run">The run to show.</param>
    /// <param name="title">The page title; by default "Training report".</param>
    /// <exception cref="NablaException">The run is inconsistent (see <see cref="RunRecord.Load"/>).</exception>
    public static string Render(RunRecord run, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        RunRecordValidator.Validate(run, "run");
        var s = run.Settings;
        string network = s.Architecture ?? $"{string.Join("–", s.Layers)} {s.Activation}";
        string subtitle = $"{s.Data} · {network} · {s.Loss} · {s.Optimizer} (lr {Number(s.LearningRate)}) · {run.Epochs[^1].Epoch} of {s.Epochs} epochs";

        bool plane = run.Snapshots.Any(snapshot => snapshot.Grid is not null) || run.Points is not null;
        bool classifier = run.Task == RunTask.Classification;
        var view = ReportView.Of(run);
        var body = new StringBuilder();
        body.Append(ReportPage.JsonBlock(DataElementId, view.Run.ToJson())).Append('\n');
        body.Append(ReportPage.JsonBlock(ViewElementId, view.EdgesJson())).Append('\n');
        body.Append("""
<section class="card controls" aria-label="Epoch">
  <button type="button" class="play" id="play" aria-label="Play the training">▶ Play</button>
  <input type="range" id="epoch-slider" min="0" max="0" step="1" value="0" aria-label="Snapshot">
  <div class="epoch-label" id="epoch-label"></div>
</section>

""");
        body.Append(plane ? "<div class=\"row top\">\n" : "<div>\n");
        body.Append("""
<section class="card"><h2>Network</h2>
  <svg id="network" class="network" role="img" aria-label="The network: circles are neurons, lines are weights"></svg>
  <div class="legend"><span><i class="swatch" style="background:var(--pos)"></i>positive weight</span>
    <span><i class="swatch" style="background:var(--neg)"></i>negative weight</span>
    <span>line width ∝ |weight| · neuron fill = bias · hover for value and gradient</span></div>
  <p class="note" id="network-note" hidden></p>
</section>

""");
        if (plane)
            body.Append($"""
<section class="card"><h2>{(classifier ? "Decision boundary" : "Regression surface")}</h2>
  <svg id="heatmap" class="heatmap" role="img" aria-label="The model's output over the input plane, with the data points"></svg>
  <div class="legend" id="heatmap-legend"></div>
</section>

""");
        if (run.Snapshots.Any(snapshot => snapshot.Filters is { Count: > 0 }))
            body.Append("""
<section class="card" id="filters-card"><h2>Convolution filters</h2>
  <div id="filters" class="filter-grid"></div>
  <div class="legend"><span><i class="swatch" style="background:var(--pos)"></i>positive weight</span>
    <span><i class="swatch" style="background:var(--neg)"></i>negative weight</span>
    <span>one small image per filter and input channel; strength ∝ |weight|</span></div>
</section>

""");
        body.Append("</div>\n");
        var fit = classifier ? null : run.Final.Fit;
        body.Append(classifier || fit is not null ? "<div class=\"row\">\n" : "<div>\n");
        body.Append("""<section class="card"><h2>Loss</h2><svg id="loss-chart" class="chart" role="img" aria-label="Loss per epoch"></svg><div class="legend" id="loss-legend"></div></section>""");
        if (classifier)
            body.Append("""<section class="card"><h2>Accuracy</h2><svg id="accuracy-chart" class="chart" role="img" aria-label="Accuracy per epoch"></svg><div class="legend" id="accuracy-legend"></div></section>""");
        if (fit is not null)
        {
            string target = run.Settings.Outputs.Count > 0 ? run.Settings.Outputs[0] : "target";
            string rows = run.Final.ScoredOn is { } on ? $" ({ReportPage.Encode(on)} rows)" : "";
            body.Append($"<section class=\"card\" id=\"fit-card\"><h2>Fit: predicted against actual{rows}</h2>")
                .Append(FitChart.Svg(fit, target))
                .Append($"<div class=\"legend\"><span>one point per row ({fit.Actual.Count}), in {ReportPage.Encode(target)}'s units</span>")
                .Append("<span><i class=\"swatch identity\"></i>y = x, a perfect prediction</span></div></section>");
        }
        body.Append("\n</div>\n<div class=\"row\">\n");
        body.Append("<section class=\"card\"><h2>Settings</h2>").Append(SettingsTable(run)).Append("</section>\n");
        body.Append("<section class=\"card\"><h2>Final metrics</h2>").Append(FinalTable(run)).Append("</section>\n</div>\n");
        // Filled by the script when the run records them (a classifier's scores; a regression's errors in the target's units).
        body.Append("<section class=\"card\" id=\"scores-card\" hidden><h2 id=\"scores-title\">Scores</h2><div id=\"scores\"></div></section>\n");
        body.Append("<div class=\"tooltip\" id=\"tooltip\" role=\"tooltip\" hidden></div>");

        return ReportPage.Wrap(title ?? "Training report", body.ToString(), ReportAssets.TrainingReportScript, subtitle, ReportAssets.TrainingReportCss);
    }

    /// <summary>Renders <paramref name="run"/> and replaces <paramref name="path"/> with the page, atomically.</summary>
    public static void Write(RunRecord run, string path, string? title = null) => AtomicFile.WriteAllText(path, Render(run, title));

    private static string SettingsTable(RunRecord run)
    {
        var s = run.Settings;
        return Table(columns: 2, rows:
        [
            ("data", s.Data, false),
            ("task", run.Task == RunTask.Classification ? $"classification ({run.Classes} classes)" : "regression", false),
            ("inputs", InputsText(s.Inputs), false),
            ("outputs", string.Join(", ", s.Outputs), false),
            .. (s.Architecture is { } architecture ? [("architecture", architecture, false)] : Array.Empty<(string, string, bool)>()),
            ("layers", string.Join(" → ", s.Layers), true),
            ("activation", s.Activation, false),
            ("loss", s.Loss, false),
            ("optimizer", s.Optimizer, false),
            ("learning rate", Number(s.LearningRate), true),
            ("epochs", s.Epochs.ToString(CultureInfo.InvariantCulture), true),
            ("batch size", s.BatchSize.ToString(CultureInfo.InvariantCulture), true),
            ("seed", s.Seed.ToString(CultureInfo.InvariantCulture), true),
            ("validation", s.Validation == 0 ? "none" : $"{Number(s.Validation * 100)} % held out", true),
            ("snapshots", $"{run.Snapshots.Count} (epochs {run.Snapshots[0].Epoch} … {run.Snapshots[^1].Epoch})", true),
        ]);
    }

    /// <summary>
    /// The inputs by name, or for many of them their count and range: a conv net's flattened feature maps
    /// ("map c (row, column)") as the maps' grid, pixels and other long lists as the first and last names.
    /// </summary>
    internal static string InputsText(IReadOnlyList<string> inputs)
    {
        const int Listed = 12;
        if (inputs.Count <= Listed) return string.Join(", ", inputs);
        var last = FeatureMap().Match(inputs[^1]);
        if (FeatureMap().IsMatch(inputs[0]) && last.Success)
            return $"{inputs.Count} features: {last.Groups[1].Value} feature maps of {last.Groups[2].Value} × {last.Groups[3].Value}, flattened map by map, row by row ({inputs[0]} … {inputs[^1]})";
        return $"{inputs.Count} inputs: {string.Join(", ", inputs.Take(3))}, …, {inputs[^1]}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^map (\d+) \((\d+), (\d+)\)$")]
    private static partial System.Text.RegularExpressions.Regex FeatureMap();

    private static string FinalTable(RunRecord run)
    {
        var f = run.Final;
        var rows = new List<(string, string, bool)>
        {
            ("loss", Metric(f.Loss), true),
            ("validation loss", f.ValidationLoss is { } vl ? Metric(vl) : "—", true),
        };
        if (run.Task == RunTask.Classification)
        {
            rows.Add(("accuracy", Percent(f.Accuracy), true));
            rows.Add(("validation accuracy", Percent(f.ValidationAccuracy), true));
        }
        rows.Add(("epochs recorded", run.Epochs.Count.ToString(CultureInfo.InvariantCulture), true));
        return Table(columns: 1, rows: rows);
    }

    /// <summary>A key/value table with <paramref name="columns"/> key/value pairs per row, filled row by row.</summary>
    private static string Table(int columns, IReadOnlyList<(string Key, string Value, bool Numeric)> rows)
    {
        var html = new StringBuilder($"<table class=\"kv{(columns > 1 ? " wide" : "")}\"><tbody>");
        for (int start = 0; start < rows.Count; start += columns)
        {
            html.Append("<tr>");
            foreach (var (key, value, numeric) in rows.Skip(start).Take(columns))
                html.Append("<th scope=\"row\">").Append(ReportPage.Encode(key)).Append(numeric ? "</th><td class=\"num\">" : "</th><td>")
                    .Append(ReportPage.Encode(value)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    private static string Number(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string Metric(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double? v) => v is { } p ? (p * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";
}
