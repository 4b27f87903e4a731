using System.Globalization;
using System.Numerics;
using System.Text;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>One module in a <see cref="ModuleSummary"/>.</summary>
/// <param name="Name">The module's full dotted name ("" for the module summarised).</param>
/// <param name="Depth">How many levels below the summarised module it is (0 for that module).</param>
/// <param name="Type">Its type name without generic arity (<c>Linear</c>).</param>
/// <param name="OutputShape">The shape of its output in the forward pass, or null when it was not called through <see cref="Module{T}.Call"/>.</param>
/// <param name="Parameters">The number of values in its parameters and its descendants', each tensor counted once.</param>
public sealed record ModuleSummaryRow(string Name, int Depth, string Type, IReadOnlyList<int>? OutputShape, long Parameters);

/// <summary>
/// A module tree as a table (torchinfo's <c>summary</c>): one row per module in depth-first order, then the totals.
/// <see cref="ToString"/> prints it.
/// </summary>
/// <param name="Rows">The modules, each parent before its children.</param>
/// <param name="TotalParameters">The number of values in all parameters, each tensor counted once.</param>
/// <param name="TrainableParameters">The part of <paramref name="TotalParameters"/> in parameters whose RequiresGrad is set.</param>
public sealed record ModuleSummary(IReadOnlyList<ModuleSummaryRow> Rows, long TotalParameters, long TrainableParameters)
{
    /// <summary>
    /// The table: columns Layer (the last part of the name, indented two spaces per level; the type for the top row),
    /// Type, Output shape (<c>[2, 8]</c>, or <c>--</c> when not seen) and Param #, then the total and trainable counts.
    /// </summary>
    public override string ToString()
    {
        string[][] cells =
        [
            ["Layer", "Type", "Output shape", "Param #"],
            .. Rows.Select(r => new[]
            {
                new string(' ', 2 * r.Depth) + (r.Depth == 0 ? r.Type : r.Name[(r.Name.LastIndexOf('.') + 1)..]),
                r.Type,
                r.OutputShape is null ? "--" : "[" + string.Join(", ", r.OutputShape) + "]",
                Count(r.Parameters),
            }),
        ];
        int[] widths = [.. Enumerable.Range(0, 4).Select(c => cells.Max(row => row[c].Length))];
        int total = widths.Sum() + 3 * 2;
        var text = new StringBuilder();
        for (int i = 0; i < cells.Length; i++)
        {
            if (i <= 1) text.Append('=', total).Append('\n');
            var row = cells[i];
            text.Append(row[0].PadRight(widths[0])).Append("  ").Append(row[1].PadRight(widths[1])).Append("  ")
                .Append(row[2].PadRight(widths[2])).Append("  ").Append(row[3].PadLeft(widths[3])).Append('\n');
        }
        text.Append('=', total).Append('\n');
        text.Append("Total params: ").Append(Count(TotalParameters)).Append('\n');
        text.Append("Trainable params: ").Append(Count(TrainableParameters)).Append('\n');
        text.Append("Non-trainable params: ").Append(Count(TotalParameters - TrainableParameters)).Append('\n');
        return text.Append('=', total).ToString();
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

public abstract partial class Module<T>
{
    /// <summary>
    /// This module's tree as a table: each module's name, type, output shape and parameter count, then the totals.
    /// The output shapes come from one forward pass through <see cref="Call"/> on zeros of <paramref name="inputShape"/>
    /// (the whole input, batch dimension included) under <see cref="NoGrad"/> and in eval mode (the modes are restored
    /// after, so batch norm's running statistics do not move), observed with forward hooks: a module called through
    /// <see cref="Forward"/> rather than <see cref="Call"/> shows no shape, and a module called twice shows its first
    /// output. Throws when a dimension is below 1 or the forward pass fails on that shape.
    /// </summary>
    public ModuleSummary Summary(params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        for (int d = 0; d < inputShape.Length; d++)
            if (inputShape[d] < 1)
                throw new NablaArgumentException(nameof(inputShape), $"Summary: inputShape is {Shapes.Format(inputShape)}; dimension {d} is {inputShape[d]}, it must be ≥ 1");
        Shapes.ElementCount(inputShape);   // refuses a shape too large for one tensor before anything is allocated
        var modules = Walk("", 0, new HashSet<Module<T>>(ReferenceEqualityComparer.Instance)).ToList();
        var shapes = new Dictionary<Module<T>, int[]>(ReferenceEqualityComparer.Instance);
        var modes = modules.Select(m => m.Module.IsTraining).ToArray();
        var hooks = new List<IDisposable>(modules.Count);
        try
        {
            foreach (var (_, module, _) in modules)
                hooks.Add(module.RegisterForwardHook((m, _, output) => shapes.TryAdd(m, [.. output.Shape])));
            foreach (var (_, module, _) in modules) module.IsTraining = false;
            using (NoGrad.Scope()) Call(Tensor<T>.Zeros(inputShape));
        }
        catch (NablaException e)
        {
            throw new NablaException($"Summary: the forward pass of {TypeName} on zeros of shape {Shapes.Format(inputShape)} failed: {e.Message}", e);
        }
        finally
        {
            foreach (var hook in hooks) hook.Dispose();
            for (int i = 0; i < modules.Count; i++) modules[i].Module.IsTraining = modes[i];
        }
        var rows = modules.Select(m => new ModuleSummaryRow(m.Name, m.Depth, m.Module.TypeName,
            shapes.TryGetValue(m.Module, out var shape) ? shape : null, m.Module.Parameters().Sum(p => (long)p.ElementCount))).ToList();
        var all = Parameters();
        return new ModuleSummary(rows, all.Sum(p => (long)p.ElementCount), all.Where(p => p.RequiresGrad).Sum(p => (long)p.ElementCount));
    }
}
