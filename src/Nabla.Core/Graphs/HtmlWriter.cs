using System.Net;
using Nabla.Explain;

namespace Nabla.Graphs;

/// <summary>
/// A computation graph as one self-contained HTML page: the SVG of <see cref="SvgWriter"/> inline,
/// a small inline script that shows a node's expression, value and gradient (full precision) beside
/// the pointer on hover, and no network resources (no external scripts, styles, fonts or images).
/// </summary>
public static class HtmlWriter
{
    public static string Write(ComputationGraph graph)
    {
        string title = WebUtility.HtmlEncode($"Computation graph of {graph.OutputName}");
        string value = WebUtility.HtmlEncode($"{graph.OutputName} = {NumberText.Display(graph.Nodes[^1].Value)}");
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{title}}</title>
            <style>
            body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #111; }
            #graph { overflow: auto; }
            #tip { position: fixed; pointer-events: none; background: #111; color: #fff; padding: 6px 9px;
                   border-radius: 4px; font: 12px/1.4 monospace; white-space: pre; }
            </style>
            </head>
            <body>
            <h1>{{title}}</h1>
            <p>{{value}}. Hover over a node for its value and gradient at full precision.</p>
            <div id="graph">
            {{SvgWriter.Write(graph)}}
            </div>
            <div id="tip" hidden></div>
            <script>
            (function () {
              var tip = document.getElementById('tip');
              document.querySelectorAll('#graph g.node').forEach(function (node) {
                node.addEventListener('mousemove', function (e) {
                  var d = node.dataset;
                  tip.textContent = d.label + '\nvalue ' + d.value + '\ngrad  ' + d.grad;
                  tip.style.left = (e.clientX + 14) + 'px';
                  tip.style.top = (e.clientY + 14) + 'px';
                  tip.hidden = false;
                });
                node.addEventListener('mouseleave', function () { tip.hidden = true; });
              });
            })();
            </script>
            </body>
            </html>
            """;
    }
}
