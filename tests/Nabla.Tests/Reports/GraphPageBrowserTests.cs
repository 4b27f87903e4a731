using System.Globalization;
using Nabla.Formulas;
using Nabla.Graphs;
using Nabla.Reports;

namespace Nabla.Tests.Reports;

/// <summary>
/// The computation-graph page (<see cref="GraphHtmlWriter"/>) in a real headless Chromium. Without /usr/bin/chromium the test
/// is reported as skipped, with the reason.
/// </summary>
public class GraphPageBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Hovering_a_node_shows_its_label_value_and_gradient_and_leaving_hides_them()
    {
        var graph = ComputationGraph.From(Formula.Parse("y = x*x + sin(x)").Evaluate(new Dictionary<string, double> { ["x"] = 0.7 }));
        await using var report = await OpenReport.OpenAsync(chromium.Require(), GraphHtmlWriter.Write(graph), waitForReady: false);
        var tooltip = report.Page.Locator("#tooltip");
        Assert.True(await tooltip.IsHiddenAsync());
        foreach (var node in graph.Nodes)
        {
            var g = report.Page.Locator($"#graph g.node[data-name='{node.Name}']");
            await g.DispatchEventAsync("mousemove", new { clientX = 40, clientY = 30 });
            Assert.True(await tooltip.IsVisibleAsync(), $"no tooltip over node {node.Name}");
            Assert.Equal(await g.GetAttributeAsync("data-label"), await tooltip.Locator(".tt-title").TextContentAsync());
            var rows = await tooltip.Locator(".tt-row").AllAsync();
            Assert.Equal(2, rows.Count);
            Assert.Equal(["value", node.Value], await Row(rows[0]));
            Assert.Equal(["gradient", node.Gradient], await Row(rows[1]));
            Assert.Equal("54px", await tooltip.EvaluateAsync<string>("t => t.style.left"));
            await g.DispatchEventAsync("mouseleave");
            Assert.True(await tooltip.IsHiddenAsync(), $"the tooltip stayed after leaving node {node.Name}");
        }
    }

    /// <summary>A tooltip row as its name and its number, parsed back so the test holds whatever the digits' format.</summary>
    private static async Task<object[]> Row(Microsoft.Playwright.ILocator row)
    {
        var spans = await row.Locator("span").AllTextContentsAsync();
        Assert.Equal(2, spans.Count);
        return [spans[0], double.Parse(spans[1], CultureInfo.InvariantCulture)];
    }
}
