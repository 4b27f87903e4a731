using System.Text.Json;
using Nabla.Records;

namespace Nabla.Reports;

/// <summary>
/// What the report page embeds of a run. A layer with more weights than <see cref="MaxLines"/> would be a hairball of
/// lines and a page of tens of megabytes, so for such a layer the page keeps only each neuron's strongest incoming
/// weights (by |w| at the last snapshot), the same ones at every snapshot; every other layer is kept whole. The run
/// file itself keeps every weight.
/// </summary>
public sealed class ReportView
{
    /// <summary>The most lines drawn for one weight matrix.</summary>
    public const int MaxLines = 512;

    private ReportView(RunRecord run, IReadOnlyList<int[][]?> edges)
    {
        Run = run;
        Edges = edges;
    }

    /// <summary>The run as the page draws it: a wide layer's <c>Weight[o]</c> holds only the weights named by <see cref="Edges"/>.</summary>
    public RunRecord Run { get; }

    /// <summary>Per weight matrix: null when it is drawn whole, else for each output neuron the input indices drawn, strongest first.</summary>
    public IReadOnlyList<int[][]?> Edges { get; }

    /// <summary>Whether some layer is drawn reduced.</summary>
    public bool IsReduced => Edges.Any(e => e is not null);

    /// <summary>The view of <paramref name="run"/>, which must be valid (see <see cref="RunRecordValidator"/>).</summary>
    public static ReportView Of(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var sizes = run.Settings.Layers;
        var last = run.Snapshots[^1];
        var edges = new int[][]?[sizes.Count - 1];
        for (int l = 0; l < edges.Length; l++)
        {
            int inputs = sizes[l], outputs = sizes[l + 1];
            if ((long)inputs * outputs <= MaxLines) continue;
            int keep = Math.Clamp(MaxLines / outputs, 1, inputs);
            edges[l] = last.Layers[l].Weight.Select(row => Strongest(row, keep)).ToArray();
        }
        if (edges.All(e => e is null)) return new ReportView(run, edges);
        var snapshots = run.Snapshots.Select(s => s with
        {
            Layers = s.Layers.Select((layer, l) => edges[l] is not { } kept ? layer : layer with
            {
                Weight = Pick(layer.Weight, kept),
                WeightGrad = layer.WeightGrad is { } g ? Pick(g, kept) : null,
            }).ToArray(),
        }).ToArray();
        return new ReportView(run with { Snapshots = snapshots }, edges);
    }

    /// <summary>The page's description of the reduction, as JSON: <c>{"edges": [null | [[i, …] per neuron], …]}</c>.</summary>
    public string EdgesJson() => $"{{\"edges\":{JsonSerializer.Serialize(Edges, Nabla.Training.NablaJsonContext.Default.ReportEdges)}}}";

    // The indices of the `keep` largest |w| in row, strongest first; ties go to the lower index, non-finite values last.
    private static int[] Strongest(IReadOnlyList<double> row, int keep) =>
        Enumerable.Range(0, row.Count)
            .OrderByDescending(i => double.IsFinite(row[i]) ? Math.Abs(row[i]) : -1)
            .ThenBy(i => i)
            .Take(keep)
            .ToArray();

    private static IReadOnlyList<double>[] Pick(IReadOnlyList<IReadOnlyList<double>> matrix, int[][] kept) =>
        matrix.Select((row, o) => (IReadOnlyList<double>)kept[o].Select(i => row[i]).ToArray()).ToArray();
}
