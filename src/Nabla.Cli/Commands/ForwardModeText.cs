using Nabla.Explain;
using Spectre.Console;

namespace Nabla.Cli.Commands;

/// <summary>
/// The forward-mode table for a terminal: each variable's seed tangent, then every node in evaluation order with
/// its value, its tangent's chain rule (local derivative × input tangent, summed) and the tangent's value.
/// </summary>
public static class ForwardModeText
{
    /// <summary>Writes the table after a heading that names the seed direction.</summary>
    public static void Render(IAnsiConsole console, ForwardModeExplanation f)
    {
        console.WriteLine();
        console.MarkupLine($"[bold underline]Forward mode along {Markup.Escape(f.Seed)}[/]  [dim]" +
            Markup.Escape($"{f.TangentName("node")} in evaluation order: local derivative × input tangent, summed over the inputs") + "[/]");
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in new[] { "node", "expression", "value", "tangent", "chain rule", "tangent value" })
        {
            var column = new TableColumn($"[bold]{Markup.Escape(c)}[/]");
            if (c is "value" or "tangent value") column.RightAligned();
            table.AddColumn(column);
        }
        foreach (var row in f.Inputs.Concat(f.Steps))
        {
            string chain = row.Terms.Count == 0 ? f.Symbols(row) : $"{f.Symbols(row)}\n= {ForwardModeExplanation.Numbers(row)}";
            table.AddRow(
                Markup.Escape(row.Name),
                Markup.Escape(row.Expression.Length == 0 ? "variable" : $"{row.Name} = {row.Expression}"),
                Markup.Escape(NumberText.Display(row.Value)),
                Markup.Escape(f.TangentName(row.Name)),
                Markup.Escape(chain),
                Markup.Escape(NumberText.Display(row.Tangent)));
        }
        console.Write(table);
        console.MarkupLine(Markup.Escape($"{f.TangentName(f.OutputName)} = {NumberText.Display(f.Tangent)} (forward mode, one pass along {f.Seed})"));
    }
}
