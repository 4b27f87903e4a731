using System.Net;
using System.Text.RegularExpressions;
using Nabla.Records;
using Nabla.Reports;

namespace Nabla.Tests.Reports;

/// <summary>What the page's HTML must be, checked without a browser.</summary>
public partial class TrainingReportHtmlTests
{
    [Fact]
    public void The_page_names_no_http_or_https_address()
    {
        foreach (var run in new[] { SyntheticRuns.Classifier(), SyntheticRuns.Regression() })
        {
            string html = TrainingReport.Render(run);
            Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(SourceAttribute(), html);
        }
    }

    [Fact]
    public void The_page_forbids_loading_anything_from_outside_the_file()
    {
        string html = TrainingReport.Render(SyntheticRuns.Classifier());
        Assert.Contains($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ReportPage.ContentSecurityPolicy}\">", html);
        Assert.Contains("default-src 'none'", ReportPage.ContentSecurityPolicy);
    }

    [Fact]
    public void The_embedded_JSON_round_trips_to_the_same_run()
    {
        var run = SyntheticRuns.Classifier();
        var back = RunRecord.Parse(EmbeddedJson(TrainingReport.Render(run)), "embedded");
        Assert.Equal(run.ToJson(), back.ToJson());
        Assert.Equal("two clusters </script> & <b>", back.Settings.Data);
    }

    [Fact]
    public void Text_from_the_run_cannot_close_the_data_block_or_inject_markup()
    {
        string html = TrainingReport.Render(SyntheticRuns.Classifier());
        Assert.Equal(3, Regex.Count(html, "</script>")); // the data block, the view block and the page's script, nothing from the data
        Assert.DoesNotContain("</", EmbeddedJson(html));
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("two clusters &lt;/script&gt; &amp; &lt;b&gt;", html);
    }

    [Fact]
    public void Settings_and_final_metrics_are_in_tables()
    {
        string html = TrainingReport.Render(SyntheticRuns.Classifier());
        Assert.Contains("<th scope=\"row\">optimizer</th><td>adam</td>", html);
        Assert.Contains("<th scope=\"row\">loss</th><td>bce</td><th scope=\"row\">optimizer</th>", html);
        Assert.Contains("<th scope=\"row\">layers</th><td class=\"num\">2 → 3 → 1</td>", html);
        Assert.Contains("<th scope=\"row\">validation accuracy</th><td class=\"num\">94.5 %</td></tr>", html);
    }

    [Fact]
    public void A_regression_with_one_input_has_no_heat_map_and_no_accuracy_chart()
    {
        string html = TrainingReport.Render(SyntheticRuns.Regression());
        Assert.DoesNotContain("id=\"heatmap\"", html);
        Assert.DoesNotContain("id=\"accuracy-chart\"", html);
        Assert.Contains("id=\"loss-chart\"", html);
    }

    [Fact]
    public void Wrap_refuses_a_script_that_would_close_its_element()
    {
        Assert.Throws<ArgumentException>(() => ReportPage.Wrap("t", "<p>x</p>", "let s = '</script>';"));
    }

    [Fact]
    public void Wrap_encodes_the_title_and_keeps_the_body()
    {
        string html = ReportPage.Wrap("a < b", "<p id=\"x\">body</p>", "let a = 1;", "sub & title");
        Assert.Contains("<title>a &lt; b</title>", html);
        Assert.Contains("<p id=\"x\">body</p>", html);
        Assert.Contains("sub &amp; title", html);
        Assert.StartsWith("<!DOCTYPE html>", html);
    }

    /// <summary>The text of the <c>#run-data</c> block, as the browser's <c>textContent</c> gives it.</summary>
    internal static string EmbeddedJson(string html)
    {
        var match = DataBlock().Match(html);
        Assert.True(match.Success, "no <script type=\"application/json\" id=\"run-data\"> block");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"run-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataBlock();

    [GeneratedRegex("""\b(src|href)\s*=""", RegexOptions.IgnoreCase)]
    private static partial Regex SourceAttribute();
}
