using Nabla.Explain;
using Nabla.Graphs;
using Nabla.Reports.Assets;

namespace Nabla.Reports;

/// <summary>
/// A computation graph as one self-contained HTML page in the style of the training report
/// (<see cref="ReportPage"/>): the SVG of <see cref="SvgWriter"/> inline in a card, and a small inline
/// script (Reports/Assets/graph.js) that shows a node's expression, value and gradient (full precision) beside the pointer on
/// hover. No network resources: the page's Content-Security-Policy forbids loading anything.
/// </summary>
public static class GraphHtmlWriter
{
    /// <summary>A self-contained HTML page drawing <paramref name="graph"/>.</summary>
    public static string Write(ComputationGraph graph)
    {
        string title = $"Computation graph of {graph.OutputName}";
        string subtitle = $"{graph.OutputName} = {NumberText.Display(graph.Nodes[^1].Value)} · each node shows its operation, value and gradient; hover for full precision";
        string body = $"""
            <section class="card"><div id="graph" style="overflow:auto">
            {SvgWriter.Write(graph)}
            </div></section>
            <div id="tooltip" class="tooltip" hidden></div>
            """;
        return ReportPage.Wrap(title, body, ReportAssets.GraphScript, subtitle);
    }
}
