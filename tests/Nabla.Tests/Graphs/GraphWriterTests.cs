using System.Diagnostics;
using System.Xml.Linq;
using Nabla.Explain;
using Nabla.Formulas;
using Nabla.Graphs;
using Nabla.Reports;
using Nabla.Examples;

namespace Nabla.Tests.Graphs;

public class GraphWriterTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static ComputationGraph Graph(string formula, params (string, double)[] at) =>
        ComputationGraph.From(Formula.Parse(formula).Evaluate(at.ToDictionary(p => p.Item1, p => p.Item2)));

    private static ComputationGraph Toy() => ComputationGraph.From(Formula.Parse(Notebook004.Formula).Evaluate(Notebook004.At));

    [Fact]
    public void The_graph_has_a_node_per_value_and_an_edge_per_input()
    {
        // y = x·x + 2: x, x·x, the constant 2, the sum; x·x has two inputs, both x.
        var g = Graph("y = x*x + 2", ("x", 3));
        Assert.Equal(4, g.Nodes.Count);
        Assert.Equal(4, g.Edges.Count);
        var x = g.Nodes.Single(n => n.Name == "x");
        Assert.Equal(2, g.Edges.Count(e => e.From == x.Id));
        Assert.Equal(6.0, x.Gradient); // 2x
        Assert.True(g.Nodes[^1].IsOutput);
        Assert.Equal(GraphNodeKind.Constant, g.Nodes.Single(n => n.Name == "2").Kind);
    }

    [Fact]
    public void Toy_model_nodes_carry_the_notebook_values_and_gradients()
    {
        var nodes = Toy().Nodes.ToDictionary(n => n.Name);
        Assert.True(Nabla.Tests.Explain.NotebookToyModel.PrintsAs(nodes["h2"].Value, 5.068));
        Assert.True(Nabla.Tests.Explain.NotebookToyModel.PrintsAs(nodes["f1"].Gradient, -17.060));
        Assert.True(Nabla.Tests.Explain.NotebookToyModel.PrintsAs(nodes["omega1"].Gradient, -16.079));
    }

    [Fact]
    public void Svg_is_valid_xml_with_one_shape_per_node_and_one_edge_per_input()
    {
        foreach (var g in new[] { Toy(), Graph("a = x + 1; b = a*a + a; c = sin(b)*x + exp(a)/y", ("x", 2), ("y", 3)) })
        {
            var svg = XDocument.Parse(SvgWriter.Write(g)).Root!;
            Assert.Equal(Svg + "svg", svg.Name);
            var nodes = svg.Descendants(Svg + "g").Where(e => (string?)e.Attribute("class") == "node").ToList();
            Assert.Equal(g.Nodes.Count, nodes.Count);
            Assert.All(nodes, n => Assert.Single(n.Elements(Svg + "rect")));
            int inputs = g.Nodes.Sum(n => g.InputCount(n.Id));
            Assert.Equal(inputs, svg.Descendants(Svg + "path").Count(e => (string?)e.Attribute("class") == "edge"));
            Assert.DoesNotContain(svg.DescendantsAndSelf().Attributes(), a => a.Name.LocalName is "href" or "src");
        }
    }

    [Fact]
    public void Svg_nodes_do_not_overlap_and_lie_inside_the_drawing()
    {
        var svg = XDocument.Parse(SvgWriter.Write(Toy())).Root!;
        double width = double.Parse((string)svg.Attribute("width")!), height = double.Parse((string)svg.Attribute("height")!);
        var boxes = svg.Descendants(Svg + "rect").Select(r => (X: (double)r.Attribute("x")!, Y: (double)r.Attribute("y")!,
            W: (double)r.Attribute("width")!, H: (double)r.Attribute("height")!)).ToList();
        foreach (var b in boxes) Assert.True(b.X >= 0 && b.Y >= 0 && b.X + b.W <= width && b.Y + b.H <= height);
        for (int i = 0; i < boxes.Count; i++)
            for (int j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                bool apart = a.X + a.W <= b.X || b.X + b.W <= a.X || a.Y + a.H <= b.Y || b.Y + b.H <= a.Y;
                Assert.True(apart, $"boxes {i} and {j} overlap");
            }
    }

    [Fact]
    public void Layout_puts_every_edge_left_to_right()
    {
        var g = Toy();
        var layout = LayeredLayout.Compute(g, _ => (80, 60));
        foreach (var e in g.Edges) Assert.True(layout.Boxes[e.From].X + 80 < layout.Boxes[e.To].X, $"{e.From} -> {e.To}");
    }

    [Fact]
    public void Svg_node_values_round_trip()
    {
        var g = Toy();
        var svg = XDocument.Parse(SvgWriter.Write(g)).Root!;
        var f0 = svg.Descendants(Svg + "g").Single(e => (string?)e.Attribute("data-name") == "f0");
        Assert.Equal(g.Nodes.Single(n => n.Name == "f0").Gradient, double.Parse((string)f0.Attribute("data-grad")!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Html_is_one_page_embedding_the_svg_with_no_network_resources()
    {
        var g = Toy();
        string html = GraphHtmlWriter.Write(g);
        Assert.StartsWith("<!DOCTYPE html>", html);
        int start = html.IndexOf("<svg", StringComparison.Ordinal), end = html.LastIndexOf("</svg>", StringComparison.Ordinal);
        Assert.True(start > 0 && end > start);
        var svg = XDocument.Parse(html[start..(end + "</svg>".Length)]).Root!;
        Assert.Equal(g.Nodes.Count, svg.Descendants(Svg + "g").Count(e => (string?)e.Attribute("class") == "node"));
        Assert.Contains("mousemove", html);
        foreach (var external in new[] { "src=", "<link", "@import", "https://", "url(http" })
            Assert.DoesNotContain(external, html);
        Assert.DoesNotContain("http://", html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", ""));
    }

    [Fact]
    public void Dot_has_a_node_per_value_and_an_edge_per_input()
    {
        var g = Graph("y = x*x + 2", ("x", 3));
        string dot = DotWriter.Write(g);
        Assert.StartsWith("digraph", dot);
        Assert.Equal(4, dot.Split('\n').Count(l => l.TrimStart().StartsWith('n') && l.Contains("[label=")));
        Assert.Equal(4, dot.Split('\n').Count(l => l.Contains("->")));
        Assert.Contains("{ x | variable | data 3.000 | grad 6.000 }", dot);
    }

    [Fact]
    public async Task Dot_is_accepted_by_graphviz()
    {
        const string dotPath = "/usr/bin/dot";
        if (!File.Exists(dotPath))
            Assert.Skip($"Graphviz is not installed at {dotPath} (apt-get install graphviz), so the DOT was not checked.");
        foreach (var g in new[] { Toy(), Graph("y = pow(x, 2) / (1 - x) + maximum(x, 0.5)", ("x", 0.25)) })
        {
            var start = new ProcessStartInfo(dotPath, "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(DotWriter.Write(g));
            process.StandardInput.Close();
            await process.WaitForExitAsync();
            string svgText = await stdout, errors = await stderr;
            Assert.True(process.ExitCode == 0 && errors.Length == 0, $"dot exited {process.ExitCode}: {errors}");
            var svg = XDocument.Parse(svgText).Root!;
            Assert.Equal(g.Nodes.Count, svg.Descendants(Svg + "g").Count(e => (string?)e.Attribute("class") == "node"));
        }
    }
}
