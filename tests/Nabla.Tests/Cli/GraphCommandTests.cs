using System.Xml.Linq;
using Nabla.Cli;

namespace Nabla.Tests.Cli;

public sealed class GraphCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nabla-graph-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Graph_without_a_formula_draws_the_toy_model_as_dot_on_stdout()
    {
        var (exit, dot, err) = Run("graph");
        Assert.True(exit == 0, err);
        Assert.StartsWith("digraph", dot);
        Assert.Contains("{ h1 | sin(f0) | data 0.942 | grad 6.824 }", dot);
    }

    [Fact]
    public void Graph_svg_to_a_file_is_a_parsable_svg_with_a_node_per_value()
    {
        string path = Path.Combine(_directory, "g.svg");
        var (exit, stdout, err) = Run("graph", "y = x*x + sin(x)", "--at", "x=2", "--format", "svg", "--out", path);
        Assert.True(exit == 0, err);
        Assert.Equal("", stdout);
        var svg = XDocument.Load(path).Root!;
        XNamespace ns = "http://www.w3.org/2000/svg";
        // x, x·x, sin(x), the sum: 4 nodes; inputs: 2 + 1 + 2 = 5 edges.
        Assert.Equal(4, svg.Descendants(ns + "g").Count(g => (string?)g.Attribute("class") == "node"));
        Assert.Equal(5, svg.Descendants(ns + "path").Count(p => (string?)p.Attribute("class") == "edge"));
    }

    [Fact]
    public void Graph_html_embeds_the_svg()
    {
        var (exit, html, err) = Run("graph", "--format", "html");
        Assert.True(exit == 0, err);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg", html);
    }

    [Fact]
    public void An_output_file_that_cannot_be_written_exits_2_and_leaves_the_target_untouched()
    {
        string target = Path.Combine(_directory, "taken");
        Directory.CreateDirectory(target);
        var (exit, _, err) = Run("graph", "--out", target);
        Assert.Equal(2, exit);
        Assert.StartsWith("error:", err);
        Assert.True(Directory.Exists(target));
        Assert.Empty(Directory.GetFiles(_directory));

        // A file where a folder should be cannot hold the output.
        File.WriteAllText(Path.Combine(_directory, "plain"), "");
        var (fileExit, _, _) = Run("graph", "--out", Path.Combine(_directory, "plain", "g.dot"));
        Assert.Equal(2, fileExit);
    }

    [Fact]
    public void Bad_input_exits_2_and_non_finite_values_exit_3()
    {
        Assert.Equal(2, Run("graph", "x +", "--at", "x=1").Exit);
        Assert.Equal(2, Run("graph", "--format", "png").Exit);
        Assert.Equal(3, Run("graph", "sqrt(x)", "--at", "x=-1").Exit);
    }
}
