using System.Globalization;
using System.Numerics;
using Nabla.Records;
using Nabla.Reports;
using Nabla.Training;
using Nabla.Training.Metrics;
using Spectre.Console;

namespace Nabla.Cli.Commands;

/// <summary>
/// The trained model measured on the training and validation rows — the loss, and in the target's own units the
/// MSE, RMSE, MAE and R² of a regression, or the accuracy, per-class precision and recall and the confusion matrix
/// of a classifier — as the summary table and as the run record's final metrics.
/// </summary>
internal sealed class TrainSummary<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainSetup<T> _setup;
    private readonly Part _training, _validation;

    private sealed record Part(int Rows, double? Loss, double? Accuracy, RegressionErrors? Errors, ConfusionMatrix? Matrix, RegressionFit? Fit = null);

    private TrainSummary(TrainSetup<T> setup, Part training, Part validation) => (_setup, _training, _validation) = (setup, training, validation);

    /// <summary>Measures the model as it is now (after the best epoch's weights were put back, if they were).</summary>
    public static TrainSummary<T> Measure(TrainSetup<T> setup) =>
        new(setup, Evaluate(setup, DataPart.Training), Evaluate(setup, DataPart.Validation));

    private static Part Evaluate(TrainSetup<T> setup, DataPart part)
    {
        var trainer = setup.Trainer;
        int rows = part == DataPart.Training ? trainer.Data.TrainingRows : trainer.Data.ValidationRows;
        if (setup.Model.Loss.IsClassifier)
        {
            var metric = new ClassificationMetric<T>(trainer.Loss, Math.Max(2, setup.Model.Data.Classes.Count));
            var (loss, accuracy) = trainer.Evaluate(part, metric);
            return new Part(rows, loss, accuracy, null, metric.Matrix);
        }
        var errors = new RegressionMetric<T>(setup.Set.TargetScale);
        var fit = new RegressionFitMetric<T>(setup.Set.TargetScale, rows);
        var (mse, _) = trainer.Evaluate(part, errors, fit);
        return new Part(rows, mse, null, errors.Errors, null, fit.ToFit());
    }

    /// <summary>The run record's final metrics: scores on the validation rows, or on the training rows without any.</summary>
    public FinalMetrics Final
    {
        get
        {
            var scored = _validation.Rows > 0 ? _validation : _training;
            return new FinalMetrics
            {
                Loss = _training.Loss ?? double.NaN,
                ScoredOn = _validation.Rows > 0 ? "validation" : "training",
                Regression = scored.Errors?.ToScores(),
                Classification = scored.Matrix?.ToScores(Labels),
                Fit = scored.Fit,
            };
        }
    }

    private IReadOnlyList<string> Labels => _setup.Model.Data.Classes;

    /// <summary>Prints the table (and a classifier's confusion matrix) with the time and epochs in its caption.</summary>
    public void Write(IAnsiConsole console, TimeSpan elapsed, int resumedAt, int? bestEpoch)
    {
        var trainer = _setup.Trainer;
        bool validation = _validation.Rows > 0;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("training").RightAligned());
        if (validation) table.AddColumn(new TableColumn("validation").RightAligned());
        void Row(string name, Func<Part, string> cell)
        {
            if (validation) table.AddRow(Markup.Escape(name), Markup.Escape(cell(_training)), Markup.Escape(cell(_validation)));
            else table.AddRow(Markup.Escape(name), Markup.Escape(cell(_training)));
        }
        string lossName = _setup.Model.Loss.Name;
        if (_setup.Model.Loss.IsClassifier)
        {
            Row($"loss ({lossName})", p => N(p.Loss));
            Row("accuracy", p => P(p.Accuracy));
            for (int c = 0; c < Labels.Count; c++)
            {
                int k = c;
                Row($"precision {Labels[c]}", p => P(p.Matrix!.Precision(k)));
                Row($"recall {Labels[c]}", p => P(p.Matrix!.Recall(k)));
            }
        }
        else
        {
            string target = _setup.Model.Data.TargetName;
            Row($"loss ({lossName}, standardised)", p => N(p.Loss));
            Row($"MSE ({target})", p => N(p.Errors!.Mse));
            Row($"RMSE ({target})", p => N(p.Errors!.Rmse));
            Row($"MAE ({target})", p => N(p.Errors!.Mae));
            Row("R²", p => N(p.Errors!.R2));
        }
        Row("rows", p => p.Rows.ToString(CultureInfo.InvariantCulture));
        string trained = resumedAt > 0 ? $"epochs {resumedAt + 1}–{trainer.CompletedEpochs} in" : $"{Plural.Of(trainer.CompletedEpochs, "epoch")} in";
        string kept = bestEpoch is { } b ? $"; weights of epoch {b} kept" : "";
        console.Write(table);
        // A line of its own, not the table's caption, which would wrap at the table's width in mid-phrase.
        console.WriteLine($"{trained} {elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s{kept}");
        if (_setup.Model.Loss.IsClassifier) console.Write(Confusion(validation ? _validation : _training, validation ? "validation" : "training"));
    }

    private Table Confusion(Part part, string rows)
    {
        var matrix = part.Matrix!;
        var table = new Table().Border(TableBorder.Rounded).Title($"{rows} confusion").AddColumn("actual \\ predicted");
        foreach (var label in Labels) table.AddColumn(new TableColumn(Markup.Escape(label)).RightAligned());
        for (int a = 0; a < Labels.Count; a++)
            table.AddRow([Markup.Escape(Labels[a]), .. Enumerable.Range(0, Labels.Count).Select(p => matrix[a, p].ToString(CultureInfo.InvariantCulture))]);
        return table;
    }

    /// <summary>The training and (when every epoch has one) validation loss per epoch.</summary>
    public static LineChart LossChart(Trainer<T> t)
    {
        var chart = new LineChart { Title = $"Loss ({t.Loss.Name}) per epoch", XLabel = "epoch", YLabel = "loss" };
        double[] epochs = t.History.Select(m => (double)m.Epoch).ToArray();
        chart.Add("training", epochs, t.History.Select(m => m.Loss).ToArray());
        if (t.History.All(m => m.ValidationLoss is not null)) chart.Add("validation", epochs, t.History.Select(m => m.ValidationLoss!.Value).ToArray());
        return chart;
    }

    private static string N(double? v) => v is { } x ? x.ToString("F4", CultureInfo.InvariantCulture) : "–";

    private static string P(double? v) => v is { } x ? x.ToString("P1", CultureInfo.InvariantCulture) : "–";
}
