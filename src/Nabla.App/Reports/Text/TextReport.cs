using System.Globalization;
using System.Text;
using Nabla.Training;

namespace Nabla.Reports.Text;

/// <summary>
/// The HTML report of a language model's training run (<c>nabla train --text … --report out.html</c>): one
/// self-contained page with the settings, the loss and the perplexity per epoch as two line charts (training and
/// validation) and a table, and the text the trained model generated. No script: everything is drawn on the server side.
/// </summary>
public static class TextReport
{
    /// <summary>The page for <paramref name="run"/>.</summary>
    public static string Render(TextRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var body = new StringBuilder();
        body.Append("<section class=\"card\"><h2>Settings</h2><table>\n");
        foreach (var (key, value) in run.Settings)
            body.Append("<tr><th>").Append(ReportPage.Encode(key)).Append("</th><td>").Append(ReportPage.Encode(value)).Append("</td></tr>\n");
        body.Append("</table><p><code>").Append(ReportPage.Encode(run.Command)).Append("</code></p></section>\n");

        double[] epochs = [.. run.Epochs.Select(e => (double)e.Epoch)];
        bool validation = run.Epochs.Any(e => e.ValidationLoss is not null);
        string Chart(string title, string label, Func<TextEpoch, double> train, Func<TextEpoch, double?> held)
        {
            var chart = new LineChart { Title = title, XLabel = "epoch", YLabel = label };
            chart.Add("training", epochs, [.. run.Epochs.Select(train)]);
            if (validation) chart.Add("validation", epochs, [.. run.Epochs.Select(e => held(e) ?? double.NaN)]);
            return chart.ToSvg();
        }
        body.Append("<section class=\"card\"><h2>Loss and perplexity</h2>\n");
        body.Append(StripDeclaration(Chart("Cross-entropy per character", "loss (nats)", e => e.Loss, e => e.ValidationLoss))).Append('\n');
        body.Append(StripDeclaration(Chart("Perplexity e^loss", "perplexity", e => e.Perplexity, e => e.ValidationPerplexity))).Append('\n');
        body.Append("<table><tr><th>epoch</th><th>loss</th><th>perplexity</th>");
        if (validation) body.Append("<th>validation loss</th><th>validation perplexity</th>");
        body.Append("</tr>\n");
        foreach (var e in run.Epochs)
        {
            body.Append("<tr><td>").Append(e.Epoch).Append("</td><td>").Append(F(e.Loss, "F4")).Append("</td><td>").Append(F(e.Perplexity, "F2")).Append("</td>");
            if (validation) body.Append("<td>").Append(e.ValidationLoss is { } v ? F(v, "F4") : "").Append("</td><td>")
                .Append(e.ValidationPerplexity is { } p ? F(p, "F2") : "").Append("</td>");
            body.Append("</tr>\n");
        }
        body.Append("</table></section>\n");
        body.Append("<section class=\"card\"><h2>Generated text</h2><p>").Append(ReportPage.Encode(run.SampleSettings)).Append("</p>\n<pre class=\"sample\">")
            .Append(ReportPage.Encode(run.Sample)).Append("</pre></section>\n");
        var last = run.Epochs.Count > 0 ? run.Epochs[^1] : null;
        string subtitle = last is null ? "no epoch finished"
            : $"{last.Epoch} epochs · loss {F(last.Loss, "F4")}" + (last.ValidationLoss is { } lv ? $" · validation loss {F(lv, "F4")}" : "");
        return ReportPage.Wrap("Language model training report", body.ToString(), subtitle: subtitle, css: "pre.sample { white-space: pre-wrap; }\n");
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    // An SVG document inlined in HTML must not carry its XML declaration.
    private static string StripDeclaration(string svg) => svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..].TrimStart() : svg;
}
