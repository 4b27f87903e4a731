namespace Nabla.Records;

/// <summary>
/// Checks that a <see cref="RunRecord"/> is self-consistent: every shape follows <c>settings.layers</c>, epochs and
/// snapshots are in increasing order, grids hold nx·ny values, points and labels fit the task. The first problem
/// found is thrown as a <see cref="NablaException"/> reading "<c>{source}: {where}: {problem}</c>".
/// </summary>
internal static class RunRecordValidator
{
    public static void Validate(RunRecord run, string source)
    {
        void Fail(string where, string problem) => throw new NablaException($"{source}: {where}: {problem}");

        if (run.Format != RunRecord.FormatName) Fail("format", $"is \"{run.Format}\", expected \"{RunRecord.FormatName}\"");
        if (run.Version != RunRecord.CurrentVersion) Fail("version", $"is {run.Version}, this Nabla reads version {RunRecord.CurrentVersion}");

        var s = run.Settings;
        var layers = s.Layers;
        // Lists may hold JSON nulls the nullable annotations do not catch: refuse them before anything reads one.
        NoNulls(s.Inputs, "settings.inputs", Fail);
        NoNulls(s.Outputs, "settings.outputs", Fail);
        NoNulls(run.Epochs, "epochs", Fail);
        NoNulls(run.Snapshots, "snapshots", Fail);
        if (layers.Count < 2) Fail("settings.layers", $"has {layers.Count} layer(s), expected at least 2 (inputs and outputs)");
        for (int i = 0; i < layers.Count; i++)
            if (layers[i] < 1) Fail($"settings.layers[{i}]", $"is {layers[i]}, expected at least 1 neuron");
        if (s.Inputs.Count != layers[0]) Fail("settings.inputs", $"names {s.Inputs.Count} input(s), but settings.layers[0] is {layers[0]}");
        if (s.Outputs.Count != layers[^1]) Fail("settings.outputs", $"names {s.Outputs.Count} output(s), but settings.layers[{layers.Count - 1}] is {layers[^1]}");

        if (run.Task == RunTask.Classification && run.Classes is not >= 2)
            Fail("classes", $"is {run.Classes?.ToString() ?? "null"}, a classification needs at least 2 classes");
        if (run.Task == RunTask.Regression && run.Classes is not null)
            Fail("classes", $"is {run.Classes}, expected null for a regression");

        if (run.Epochs.Count == 0) Fail("epochs", "is empty, expected one entry per finished epoch");
        for (int i = 0; i < run.Epochs.Count; i++)
        {
            var e = run.Epochs[i];
            if (e.Epoch < 1) Fail($"epochs[{i}].epoch", $"is {e.Epoch}, epochs are counted from 1");
            if (i > 0 && e.Epoch <= run.Epochs[i - 1].Epoch)
                Fail($"epochs[{i}].epoch", $"is {e.Epoch}, not after the previous entry's {run.Epochs[i - 1].Epoch}");
        }

        if (run.Snapshots.Count == 0) Fail("snapshots", "is empty, expected at least one snapshot of the parameters");
        for (int k = 0; k < run.Snapshots.Count; k++)
        {
            var snapshot = run.Snapshots[k];
            string at = $"snapshots[{k}]";
            NoNulls(snapshot.Layers, $"{at}.layers", Fail);
            if (snapshot.Epoch < 0) Fail($"{at}.epoch", $"is {snapshot.Epoch}, expected 0 (initial) or a finished epoch");
            if (k > 0 && snapshot.Epoch <= run.Snapshots[k - 1].Epoch)
                Fail($"{at}.epoch", $"is {snapshot.Epoch}, not after the previous snapshot's {run.Snapshots[k - 1].Epoch}");
            if (snapshot.Layers.Count != layers.Count - 1)
                Fail($"{at}.layers", $"has {snapshot.Layers.Count} weight layer(s), but settings.layers [{string.Join(", ", layers)}] needs {layers.Count - 1}");
            for (int l = 0; l < snapshot.Layers.Count; l++)
            {
                var layer = snapshot.Layers[l];
                string where = $"{at}.layers[{l}]";
                if (layer is null) Fail(where, "is null");
                CheckMatrix(layer!.Weight, $"{where}.weight", layers[l + 1], layers[l], Fail);
                CheckVector(layer.Bias, $"{where}.bias", layers[l + 1], Fail);
                if (layer.WeightGrad is { } wg) CheckMatrix(wg, $"{where}.weightGrad", layers[l + 1], layers[l], Fail);
                if (layer.BiasGrad is { } bg) CheckVector(bg, $"{where}.biasGrad", layers[l + 1], Fail);
            }
            if (snapshot.Filters is { } filters)
            {
                NoNulls(filters, $"{at}.filters", Fail);
                for (int f = 0; f < filters.Count; f++)
                {
                    string where = $"{at}.filters[{f}]";
                    var shape = filters[f].Shape;
                    if (shape is null || shape.Count != 4 || shape.Any(d => d < 1))
                        Fail($"{where}.shape", "should be 4 positive sizes [out, in, kernel height, kernel width]");
                    long count = shape!.Aggregate(1L, (a, d) => a * d);
                    if (filters[f].Weight is null || filters[f].Weight.Count != count)
                        Fail($"{where}.weight", $"has {filters[f].Weight?.Count ?? 0} value(s), but shape [{string.Join(", ", shape!)}] needs {count}");
                }
            }
            if (snapshot.Grid is { } grid)
            {
                if (layers[0] != 2) Fail($"{at}.grid", $"is given, but a grid needs exactly 2 inputs (settings.layers[0] is {layers[0]})");
                CheckGrid(grid, $"{at}.grid", Fail);
            }
        }

        if (run.Points is { } points)
        {
            if (layers[0] != 2) Fail("points", $"are given, but points need exactly 2 inputs (settings.layers[0] is {layers[0]})");
            if (points.Y.Count != points.X.Count) Fail("points.y", $"has {points.Y.Count} value(s), but points.x has {points.X.Count}");
            NoNulls(points.X, "points.x", Fail);
            for (int i = 0; i < points.X.Count; i++)
                CheckVector(points.X[i], $"points.x[{i}]", 2, Fail);
            if (run.Task == RunTask.Classification)
                for (int i = 0; i < points.Y.Count; i++)
                {
                    double y = points.Y[i];
                    if (y != Math.Floor(y) || y < 0 || y >= run.Classes!.Value)
                        Fail($"points.y[{i}]", $"is {y}, expected a class label 0 … {run.Classes - 1}");
                }
        }

        if (run.Final?.Fit is { } fit)
        {
            if (run.Task != RunTask.Regression) Fail("final.fit", "is given, but only a regression has a plot of the fit");
            if (fit.Actual is null || fit.Predicted is null) Fail("final.fit", "needs both actual and predicted");
            if (fit.Actual!.Count > RegressionFit.MaxRows) Fail("final.fit.actual", $"has {fit.Actual.Count} values, at most {RegressionFit.MaxRows}");
            CheckVector(fit.Predicted, "final.fit.predicted", fit.Actual.Count, Fail);
            for (int i = 0; i < fit.Actual.Count; i++)
                if (!double.IsFinite(fit.Actual[i]) || !double.IsFinite(fit.Predicted![i]))
                    Fail($"final.fit[{i}]", "is not a finite pair of numbers");
        }
    }

    private static void NoNulls<TItem>(IReadOnlyList<TItem> list, string where, Action<string, string> fail)
    {
        for (int i = 0; i < list.Count; i++)
            if (list[i] is null) fail($"{where}[{i}]", "is null");
    }

    private static void CheckMatrix(IReadOnlyList<IReadOnlyList<double>>? matrix, string where, int rows, int columns, Action<string, string> fail)
    {
        if (matrix is null) { fail(where, $"is missing, expected [{rows}][{columns}] (out × in)"); return; }
        if (matrix.Count != rows)
            fail(where, $"has {matrix.Count} row(s), expected {rows} (one per output neuron; shape is [out][in] = [{rows}][{columns}])");
        for (int r = 0; r < matrix.Count; r++)
        {
            if (matrix[r] is null) fail($"{where}[{r}]", "is null");
            if (matrix[r].Count != columns)
                fail($"{where}[{r}]", $"has {matrix[r].Count} value(s), expected {columns} (one per input neuron; shape is [out][in] = [{rows}][{columns}])");
        }
    }

    private static void CheckVector(IReadOnlyList<double>? vector, string where, int length, Action<string, string> fail)
    {
        if (vector is null) fail(where, $"is missing, expected {length} value(s)");
        else if (vector.Count != length) fail(where, $"has {vector.Count} value(s), expected {length}");
    }

    private static void CheckGrid(GridValues grid, string where, Action<string, string> fail)
    {
        if (grid.Nx < 2 || grid.Ny < 2) fail(where, $"is {grid.Nx} × {grid.Ny}, expected nx and ny of at least 2");
        if (!(double.IsFinite(grid.XMin) && double.IsFinite(grid.XMax) && grid.XMin < grid.XMax))
            fail(where, $"xMin {grid.XMin} and xMax {grid.XMax} must be finite with xMin < xMax");
        if (!(double.IsFinite(grid.YMin) && double.IsFinite(grid.YMax) && grid.YMin < grid.YMax))
            fail(where, $"yMin {grid.YMin} and yMax {grid.YMax} must be finite with yMin < yMax");
        long expected = (long)grid.Nx * grid.Ny;
        if (grid.Values.Count != expected)
            fail($"{where}.values", $"has {grid.Values.Count} value(s), expected nx·ny = {grid.Nx}·{grid.Ny} = {expected}");
        if (grid.Probabilities is { } p && (p.Count < 2 * expected || p.Count % expected != 0 || p.Any(v => !(v >= 0 && v <= 1))))
            fail($"{where}.probabilities", $"has {p.Count} value(s), expected nx·ny·classes with each in [0, 1]");
    }
}
