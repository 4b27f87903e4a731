using System.Text;
using Nabla.Explain;

namespace Nabla.Graphs;

/// <summary>
/// A computation graph as Graphviz source, left to right as micrograd's <c>draw_dot</c> draws it:
/// one record per node, <c>{ name | operation | data v | grad g }</c>, and one edge per input.
/// Variables are filled blue, constants dashed, the output drawn with a double border.
/// </summary>
public static class DotWriter
{
    /// <summary>The Graphviz DOT text of <paramref name="graph"/>.</summary>
    public static string Write(ComputationGraph graph)
    {
        var s = new StringBuilder();
        s.AppendLine("digraph nabla {");
        s.AppendLine("  rankdir=LR;");
        s.AppendLine("  node [shape=record, fontname=\"Helvetica\", fontsize=11, style=filled, fillcolor=\"#ffffff\"];");
        s.AppendLine("  edge [color=\"#555555\"];");
        foreach (var n in graph.Nodes)
        {
            string what = n.Kind switch
            {
                GraphNodeKind.Variable => "variable",
                GraphNodeKind.Constant => "constant",
                _ => n.Expression,
            };
            string label = $"{{ {Escape(n.Name)} | {Escape(what)} | data {Escape(NumberText.Display(n.Value))} | grad {Escape(NumberText.Display(n.Gradient))} }}";
            string style = n.Kind switch
            {
                GraphNodeKind.Variable => ", fillcolor=\"#dbeafe\"",
                GraphNodeKind.Constant => ", style=\"filled,dashed\", fillcolor=\"#f3f4f6\"",
                _ => "",
            };
            if (n.IsOutput) style += ", peripheries=2, fillcolor=\"#fef3c7\"";
            s.AppendLine($"  n{n.Id} [label=\"{label}\"{style}];");
        }
        foreach (var e in graph.Edges) s.AppendLine($"  n{e.From} -> n{e.To};");
        s.AppendLine("}");
        return s.ToString();
    }

    // Inside a quoted record label: quotes and backslashes for the string, braces, bars and angle brackets for the record.
    private static string Escape(string text)
    {
        var s = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '\\' or '"' or '{' or '}' or '|' or '<' or '>') s.Append('\\');
            s.Append(c);
        }
        return s.ToString();
    }
}
