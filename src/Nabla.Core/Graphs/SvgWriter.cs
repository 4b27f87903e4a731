using System.Globalization;
using System.Xml.Linq;
using Nabla.Explain;

namespace Nabla.Graphs;

/// <summary>
/// A computation graph drawn as one self-contained SVG (no fonts, images or scripts from elsewhere),
/// laid out by <see cref="LayeredLayout"/>. Each node is a <c>&lt;g class="node"&gt;</c> holding one
/// <c>&lt;rect&gt;</c> and four lines — name, operation, value, gradient — with its full-precision
/// values in <c>data-value</c> / <c>data-grad</c> attributes and a <c>&lt;title&gt;</c> tooltip; each input
/// is one <c>&lt;path class="edge"&gt;</c> with an arrowhead.
/// </summary>
public static class SvgWriter
{
    /// <summary>The SVG XML namespace, http://www.w3.org/2000/svg.</summary>
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const double LineHeight = 15, CharWidth = 7.2, Padding = 8;

    /// <summary>The SVG document as text.</summary>
    public static string Write(ComputationGraph graph) => Element(graph).ToString();

    /// <summary>The <c>&lt;svg&gt;</c> element.</summary>
    public static XElement Element(ComputationGraph graph)
    {
        var layout = LayeredLayout.Compute(graph, Size);
        var svg = new XElement(Svg + "svg",
            new XAttribute("width", F(layout.Width)), new XAttribute("height", F(layout.Height)),
            new XAttribute("viewBox", $"0 0 {F(layout.Width)} {F(layout.Height)}"),
            new XAttribute("font-family", "Helvetica, Arial, sans-serif"), new XAttribute("font-size", "12"),
            new XElement(Svg + "title", $"Computation graph of {graph.OutputName}"),
            new XElement(Svg + "defs",
                new XElement(Svg + "marker", new XAttribute("id", "arrow"), new XAttribute("viewBox", "0 0 10 10"),
                    new XAttribute("refX", "10"), new XAttribute("refY", "5"), new XAttribute("markerWidth", "7"),
                    new XAttribute("markerHeight", "7"), new XAttribute("orient", "auto-start-reverse"),
                    new XElement(Svg + "path", new XAttribute("d", "M 0 0 L 10 5 L 0 10 z"), new XAttribute("fill", "#555"))),
                new XElement(Svg + "style",
                    ".node rect { stroke: #333; stroke-width: 1; } .node:hover rect { stroke: #d97706; stroke-width: 2.5; } " +
                    ".edge { fill: none; stroke: #555; stroke-width: 1.2; } .name { font-weight: bold; } .dim { fill: #555; }")));
        var edges = new XElement(Svg + "g", new XAttribute("class", "edges"));
        for (int k = 0; k < graph.Edges.Count; k++)
        {
            var e = graph.Edges[k];
            edges.Add(new XElement(Svg + "path", new XAttribute("class", "edge"), new XAttribute("d", Path(layout.Routes[k])),
                new XAttribute("marker-end", "url(#arrow)"), new XAttribute("data-from", e.From), new XAttribute("data-to", e.To)));
        }
        svg.Add(edges);
        var nodes = new XElement(Svg + "g", new XAttribute("class", "nodes"));
        foreach (var n in graph.Nodes) nodes.Add(Node(n, layout.Boxes[n.Id]));
        svg.Add(nodes);
        return svg;
    }

    private static string[] Lines(GraphNode n) =>
    [
        n.Name,
        n.Kind switch { GraphNodeKind.Variable => "variable", GraphNodeKind.Constant => "constant", _ => n.Expression },
        $"value {NumberText.Display(n.Value)}",
        $"grad {NumberText.Display(n.Gradient)}",
    ];

    private static (double, double) Size(GraphNode n) =>
        (Math.Max(72, Lines(n).Max(l => l.Length) * CharWidth + 2 * Padding), 4 * LineHeight + 2 * Padding - 4);

    private static XElement Node(GraphNode n, NodeBox box)
    {
        string fill = n.IsOutput ? "#fef3c7" : n.Kind switch
        {
            GraphNodeKind.Variable => "#dbeafe",
            GraphNodeKind.Constant => "#f3f4f6",
            _ => "#ffffff",
        };
        var lines = Lines(n);
        string label = n.Kind == GraphNodeKind.Operation ? $"{n.Name} = {n.Expression}" : $"{n.Name} ({lines[1]})";
        var g = new XElement(Svg + "g", new XAttribute("class", "node"), new XAttribute("id", $"node-{n.Id}"),
            new XAttribute("data-name", n.Name), new XAttribute("data-label", label),
            new XAttribute("data-value", NumberText.RoundTrip(n.Value)), new XAttribute("data-grad", NumberText.RoundTrip(n.Gradient)),
            new XElement(Svg + "title", $"{label}\nvalue {NumberText.RoundTrip(n.Value)}\ngrad {NumberText.RoundTrip(n.Gradient)}"),
            new XElement(Svg + "rect", new XAttribute("x", F(box.X)), new XAttribute("y", F(box.Y)), new XAttribute("width", F(box.Width)),
                new XAttribute("height", F(box.Height)), new XAttribute("rx", "6"), new XAttribute("fill", fill),
                n.Kind == GraphNodeKind.Constant ? new XAttribute("stroke-dasharray", "4 3") : null));
        for (int i = 0; i < lines.Length; i++)
            g.Add(new XElement(Svg + "text", new XAttribute("x", F(box.X + box.Width / 2)), new XAttribute("y", F(box.Y + Padding + LineHeight * (i + 1) - 4)),
                new XAttribute("text-anchor", "middle"), new XAttribute("class", i == 0 ? "name" : "dim"), lines[i]));
        return g;
    }

    // A smooth path through the route: a cubic Bézier per segment, leaving and entering horizontally.
    private static string Path(IReadOnlyList<Point> points)
    {
        var d = new System.Text.StringBuilder($"M {F(points[0].X)} {F(points[0].Y)}");
        for (int i = 1; i < points.Count; i++)
        {
            var (a, b) = (points[i - 1], points[i]);
            double dx = (b.X - a.X) / 2;
            d.Append($" C {F(a.X + dx)} {F(a.Y)} {F(b.X - dx)} {F(b.Y)} {F(b.X)} {F(b.Y)}");
        }
        return d.ToString();
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
