using Nabla.Explain;
using Nabla.Reports;

namespace Nabla.Graphs;

/// <summary>
/// A computation graph as one self-contained HTML page in the style of the training report
/// (<see cref="ReportPage"/>): the SVG of <see cref="SvgWriter"/> inline in a card, and a small inline
/// script that shows a node's expression, value and gradient (full precision) beside the pointer on
/// hover. No network resources: the page's Content-Security-Policy forbids loading anything.
/// </summary>
public static class HtmlWriter
{
    private const string Script = """
        (function () {
          var tip = document.getElementById('tooltip');
          function row(name, value) {
            var r = document.createElement('div'); r.className = 'tt-row';
            var a = document.createElement('span'); a.textContent = name;
            var b = document.createElement('span'); b.textContent = value;
            r.appendChild(a); r.appendChild(b); return r;
          }
          document.querySelectorAll('#graph g.node').forEach(function (node) {
            node.addEventListener('mousemove', function (e) {
              var d = node.dataset;
              tip.replaceChildren();
              var title = document.createElement('div'); title.className = 'tt-title'; title.textContent = d.label;
              tip.appendChild(title);
              tip.appendChild(row('value', d.value));
              tip.appendChild(row('gradient', d.grad));
              tip.style.left = (e.clientX + 14) + 'px';
              tip.style.top = (e.clientY + 14) + 'px';
              tip.hidden = false;
            });
            node.addEventListener('mouseleave', function () { tip.hidden = true; });
          });
        })();
        """;

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
        return ReportPage.Wrap(title, body, Script, subtitle);
    }
}
