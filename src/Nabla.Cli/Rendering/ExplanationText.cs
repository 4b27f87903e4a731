using Nabla.Checking;
using Nabla.Explain;
using Spectre.Console;

namespace Nabla.Cli.Rendering;

/// <summary>
/// An explanation for a terminal: a heading with the output's value and the inputs, then
/// Spectre.Console tables for the forward pass, the backward pass and the parameter gradients
/// (with the finite-difference check beside each) and a summary line. Numbers at 3 decimals.
/// </summary>
public static class ExplanationText
{
    public static void Render(IAnsiConsole console, Explanation e, GradCheckReport? check = null)
    {
        string o = e.OutputName;
        // A heading of its own length, not a rule across the width: the same text in a terminal, a file and a pipe.
        console.MarkupLine($"── [bold]Explaining {Markup.Escape(o)} = {NumberText.Display(e.Value)}[/] ──");
        if (e.Inputs.Count > 0)
            console.WriteLine($"at {string.Join(", ", e.Inputs.Select(i => $"{i.Name} = {NumberText.RoundTrip(i.Value)}"))}");
        console.WriteLine();

        Heading(console, "Forward pass", "each value from the values before it, in evaluation order");
        var forward = NewTable("node", "expression", "value");
        foreach (var f in e.Forward) forward.AddRow(Cell(f.Name), Cell($"{f.Name} = {f.Expression}"), Cell(NumberText.Display(f.Value)));
        console.Write(forward);
        console.WriteLine();

        Heading(console, "Backward pass", $"∂{o}/∂node in reverse order: upstream gradient × local derivative, summed over the node's uses");
        var backward = NewTable("node", "gradient", "local derivative", "chain rule", "value");
        foreach (var b in e.Backward)
            backward.AddRow(Cell(b.Name), Cell(ChainText.Partial(o, b.Name)), Cell(string.Join("\n", ChainText.Locals(b))),
                Cell(string.Join("\n+ ", ChainText.Symbols(o, b).Zip(ChainText.Numbers(b), (s, n) => $"{s} = {n}"))),
                Cell(NumberText.Display(b.Gradient)));
        console.Write(backward);
        console.WriteLine();

        Heading(console, "Parameter gradients", $"∂{o}/∂v for each variable, summed over its uses" + (check is null ? "" : ", beside its finite-difference estimate"));
        var entries = check?.Entries.ToDictionary(c => c.Name);
        var gradients = check is null
            ? NewTable("variable", "gradient", "chain rule", "value")
            : NewTable("variable", "gradient", "chain rule", "value", "numeric", "abs error", "rel error", "check");
        foreach (var g in e.Gradients)
        {
            string chain = string.Join("\n+ ", ChainText.Uses(o, g));
            var cells = new List<string> { Cell(g.Name), Cell(ChainText.Partial(o, g.Name)), Cell(chain), Cell(NumberText.Display(g.Gradient)) };
            if (entries is not null)
            {
                if (entries.TryGetValue(g.Name, out var c))
                    cells.AddRange([Cell(NumberText.Display(c.Numeric)), Cell(ChainText.Error(c.AbsError)), Cell(ChainText.Error(c.RelError)), c.Passed ? "[green]pass[/]" : "[red bold]FAIL[/]"]);
                else cells.AddRange(["", "", "", ""]);
            }
            gradients.AddRow(cells.ToArray());
        }
        console.Write(gradients);
        if (check is not null)
        {
            console.WriteLine();
            console.MarkupLine(check.Passed ? $"[green]✓ {Markup.Escape(check.Summary)}[/]" : $"[red]✗ {Markup.Escape(check.Summary)}[/]");
        }
    }

    private static void Heading(IAnsiConsole console, string title, string note)
    {
        console.MarkupLine($"[bold underline]{Markup.Escape(title)}[/]  [dim]{Markup.Escape(note)}[/]");
    }

    private static Table NewTable(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in columns)
        {
            var column = new TableColumn($"[bold]{Markup.Escape(c)}[/]");
            if (c is "value" or "numeric" or "abs error" or "rel error") column.RightAligned();
            table.AddColumn(column);
        }
        return table;
    }

    private static string Cell(string text) => Markup.Escape(text);
}
