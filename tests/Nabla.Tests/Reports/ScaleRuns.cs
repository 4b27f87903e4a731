using System.Text.Json.Nodes;
using Nabla.Records;
using Nabla.Reports;

namespace Nabla.Tests.Reports;

/// <summary>Runs that stress the report: a wide network with long names, three classes with probabilities, recorded scores.</summary>
internal static class ScaleRuns
{
    /// <summary>An input name longer than the diagram's label room.</summary>
    public static string InputName(int i) => $"pixel_row_{i / 28:D2}_column_{i % 28:D2}_intensity";

    /// <summary>A 784-64-64-10 classifier with <paramref name="snapshots"/> snapshots with gradients, as MNIST would give.</summary>
    public static RunRecord Wide(int snapshots = 30)
    {
        int[] layers = [784, 64, 64, 10];
        var run = SyntheticRuns.Classifier(snapshots: snapshots, epochs: snapshots, layers: layers);
        return run with
        {
            Settings = run.Settings with
            {
                Inputs = Enumerable.Range(0, 784).Select(InputName).ToArray(),
                Outputs = Enumerable.Range(0, 10).Select(k => $"p(digit {k})").ToArray(),
            },
            Classes = 10,
            Snapshots = run.Snapshots.Select(s => s with { Grid = null }).ToArray(),
            Points = null,
        };
    }

    /// <summary>
    /// Three classes over the plane with the probabilities of a softmax of three linear scores; class k wins where
    /// score k is largest, so the boundaries are the three half-lines where two scores are equal.
    /// </summary>
    public static RunRecord ThreeClasses()
    {
        var run = SyntheticRuns.Classifier();
        return run with
        {
            Classes = 3,
            Settings = run.Settings with { Layers = [2, 3, 3], Outputs = ["p(setosa)", "p(versicolor)", "p(virginica)"] },
            Snapshots = run.Snapshots.Select((s, k) => s with
            {
                Layers = SyntheticRuns.Layers([2, 3, 3], k, gradients: true),
                Grid = ThreeClassGrid(1 + k),
            }).ToArray(),
            Points = run.Points! with { Y = run.Points!.Y.Select((_, i) => (double)(i % 3)).ToArray() },
        };
    }

    /// <summary>Score k at (x, y); class 0 wins on the left, 1 at the top right, 2 at the bottom right.</summary>
    public static double Score(int k, double x, double y) => k switch { 0 => -2 * x, 1 => x + 1.5 * y, _ => x - 1.5 * y };

    private static GridValues ThreeClassGrid(double sharpness)
    {
        var grid = SyntheticRuns.Grid(20, 15, (x, y) => Enumerable.Range(0, 3).MaxBy(k => Score(k, x, y)));
        var probabilities = new double[grid.Nx * grid.Ny * 3];
        for (int r = 0; r < grid.Ny; r++)
            for (int c = 0; c < grid.Nx; c++)
            {
                double x = grid.XMin + c * (grid.XMax - grid.XMin) / (grid.Nx - 1), y = grid.YMin + r * (grid.YMax - grid.YMin) / (grid.Ny - 1);
                double[] e = Enumerable.Range(0, 3).Select(k => Math.Exp(sharpness * Score(k, x, y))).ToArray();
                for (int k = 0; k < 3; k++) probabilities[(r * grid.Nx + c) * 3 + k] = e[k] / e.Sum();
            }
        return grid with { Probabilities = probabilities };
    }

    /// <summary>
    /// <paramref name="html"/> with scores and a best epoch added to its embedded run, as a trainer that records them
    /// writes: <c>bestEpoch</c> and <c>final.classification</c> (confusion matrix, precision, recall).
    /// </summary>
    public static string WithScores(string html, int bestEpoch, long[][] confusion, string[] classes)
    {
        string json = TrainingReportHtmlTests.EmbeddedJson(html);
        var run = JsonNode.Parse(json)!.AsObject();
        run["bestEpoch"] = bestEpoch;
        int n = classes.Length;
        double Total(Func<int, long> f) => Enumerable.Range(0, n).Sum(f);
        var classification = new JsonObject
        {
            ["classes"] = new JsonArray(classes.Select(c => (JsonNode)c).ToArray()),
            ["accuracy"] = Total(k => confusion[k][k]) / Total(a => confusion[a].Sum()),
            ["confusion"] = new JsonArray(confusion.Select(row => (JsonNode)new JsonArray(row.Select(v => (JsonNode)v).ToArray())).ToArray()),
            ["precision"] = new JsonArray(Enumerable.Range(0, n).Select(p => (JsonNode)(confusion[p][p] / Total(a => confusion[a][p]))).ToArray()),
            ["recall"] = new JsonArray(Enumerable.Range(0, n).Select(a => (JsonNode)((double)confusion[a][a] / confusion[a].Sum())).ToArray()),
        };
        run["final"]!["classification"] = classification;
        run["final"]!["scoredOn"] = "validation";
        string replaced = ReportPage.JsonBlock(TrainingReport.DataElementId, run.ToJsonString());
        string original = $"<script type=\"application/json\" id=\"{TrainingReport.DataElementId}\">{json}</script>";
        Assert.Contains(original, html);
        return html.Replace(original, replaced, StringComparison.Ordinal);
    }
}
