using System.CommandLine;
using System.Globalization;
using Nabla.Data;
using Nabla.Training;
using Nabla.Training.Metrics;
using Spectre.Console;
using Nabla.IO;
using Table = Spectre.Console.Table;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla evaluate --model model.safetensors --data file.csv [--json]</c>: predicts every row as <c>predict</c> does
/// and compares with the target column (which <c>predict</c> ignores): MSE, RMSE, MAE and R² in the target's own
/// units for a regression; accuracy, per-class precision and recall and the confusion matrix for a classifier.
/// <c>--json</c> prints one object: <c>mse</c>, <c>rmse</c>, <c>mae</c>, <c>r2</c> for a regression, <c>accuracy</c>,
/// <c>confusion</c> (rows = actual class, columns = predicted), <c>classes</c>, <c>precision</c>, <c>recall</c> for
/// a classifier, and <c>rows</c>.
/// </summary>
public static class EvaluateCommand
{
    /// <summary>The <c>evaluate</c> command, writing to <paramref name="stdout"/> and errors to <paramref name="stderr"/>.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "A model written by 'nabla train --save'.", Required = true };
        var data = new Option<string>("--data") { Description = "A CSV file with the model's feature columns and its target column, or IDX images (with --labels).", Required = true };
        var labels = new Option<string>("--labels") { Description = "With IDX images as --data: the IDX file of their labels." };
        var json = new Option<bool>("--json") { Description = "Print the metrics as one JSON object." };
        var command = new Command("evaluate", "Measure a trained model on labelled rows: errors in the target's units, or accuracy and a confusion matrix.") { model, data, labels, json };
        var delimiter = DelimiterOption.Create();
        command.Options.Add(delimiter);
        command.SetAction(parse => CliAction.Guard(stderr, () =>
            Run(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(json), stdout, parse.GetValue(labels), DelimiterOption.Value(parse.GetValue(delimiter)))));
        return command;
    }

    /// <summary>Evaluates the model at <paramref name="modelPath"/> on <paramref name="dataPath"/>; returns the exit code.</summary>
    public static int Run(string modelPath, string dataPath, bool json, TextWriter stdout, string? labelsPath = null, char? delimiter = null)
    {
        if (!File.Exists(modelPath)) throw new CliException($"--model: there is no file {modelPath}");
        if (TextModelFile.IsTextModel(modelPath))
            return labelsPath is null && delimiter is null ? TextEvaluate.Run(modelPath, dataPath, json, stdout)
                : throw new CliException($"{(labelsPath is null ? "--delimiter is for CSV files" : "--labels is for IDX images")}; a text model reads --data text alone");
        var model = ModelFile.Load(modelPath);
        var csv = ModelInput.Load(model, dataPath, labelsPath, targets: true, delimiter);
        if (csv.Rows == 0) throw new CliException($"--data: {dataPath} has no rows to evaluate");
        var predictions = model.Predictor.Predict(csv.Features, csv.Rows);
        PredictCommand.RequireFinite(predictions, modelPath, dataPath);
        var targets = csv.Targets!;
        if (model.IsClassifier)
        {
            var matrix = new ConfusionMatrix(model.Classes.Count);
            for (int r = 0; r < csv.Rows; r++) matrix.Add((int)targets[r], (int)predictions.Values[r]);
            if (json) stdout.WriteLine(ClassifierJson(matrix, model.Classes));
            else WriteClassifier(Terminal.For(stdout), matrix, model, dataPath, csv.Rows);
        }
        else
        {
            var errors = new RegressionErrors();
            for (int r = 0; r < csv.Rows; r++) errors.Add(targets[r], predictions.Values[r]);
            if (json) stdout.WriteLine(RegressionJson(errors));
            else WriteRegression(Terminal.For(stdout), errors, model, dataPath, csv.Rows);
        }
        return 0;
    }

    private static string RegressionJson(RegressionErrors e) => Json.Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("mse"); JsonNumber.Write(w, e.Mse);
        w.WritePropertyName("rmse"); JsonNumber.Write(w, e.Rmse);
        w.WritePropertyName("mae"); JsonNumber.Write(w, e.Mae);
        w.WritePropertyName("r2");
        if (e.R2 is { } r2) JsonNumber.Write(w, r2); else w.WriteNullValue();
        w.WriteNumber("rows", e.Count);
        w.WriteEndObject();
    });

    private static string ClassifierJson(ConfusionMatrix m, IReadOnlyList<string> classes) => Json.Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("accuracy"); JsonNumber.Write(w, m.Accuracy);
        w.WriteStartArray("confusion");
        foreach (var row in m.ToRows())
        {
            w.WriteStartArray();
            foreach (long count in row) w.WriteNumberValue(count);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("classes");
        foreach (var c in classes) w.WriteStringValue(c);
        w.WriteEndArray();
        void PerClass(string name, Func<int, double?> value)
        {
            w.WriteStartArray(name);
            for (int c = 0; c < m.Classes; c++)
                if (value(c) is { } v) JsonNumber.Write(w, v); else w.WriteNullValue();
            w.WriteEndArray();
        }
        PerClass("precision", m.Precision);
        PerClass("recall", m.Recall);
        w.WriteNumber("rows", m.Total);
        w.WriteEndObject();
    });

    private static void WriteRegression(IAnsiConsole console, RegressionErrors e, ModelFile model, string data, int rows)
    {
        console.WriteLine($"{Path.GetFileName(model.Path)} on {Path.GetFileName(data)}: {Plural.Of(rows, "row")}, errors in the units of '{model.Target}'");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("MSE", N(e.Mse)).AddRow("RMSE", N(e.Rmse)).AddRow("MAE", N(e.Mae)).AddRow("R²", e.R2 is { } r2 ? N(r2) : "– (the target does not vary)");
        console.Write(table);
    }

    private static void WriteClassifier(IAnsiConsole console, ConfusionMatrix m, ModelFile model, string data, int rows)
    {
        console.WriteLine($"{Path.GetFileName(model.Path)} on {Path.GetFileName(data)}: {Plural.Of(rows, "row")}, accuracy {P(m.Accuracy)}");
        var perClass = new Table().Border(TableBorder.Rounded).AddColumn("class").AddColumn(new TableColumn("precision").RightAligned())
            .AddColumn(new TableColumn("recall").RightAligned()).AddColumn(new TableColumn("rows").RightAligned());
        for (int c = 0; c < m.Classes; c++)
        {
            long count = Enumerable.Range(0, m.Classes).Sum(p => m[c, p]);
            perClass.AddRow(Markup.Escape(model.Classes[c]), P(m.Precision(c)), P(m.Recall(c)), count.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(perClass);
        var confusion = new Table().Border(TableBorder.Rounded).Title("confusion").AddColumn("actual \\ predicted");
        foreach (var label in model.Classes) confusion.AddColumn(new TableColumn(Markup.Escape(label)).RightAligned());
        for (int a = 0; a < m.Classes; a++)
            confusion.AddRow([Markup.Escape(model.Classes[a]), .. Enumerable.Range(0, m.Classes).Select(p => m[a, p].ToString(CultureInfo.InvariantCulture))]);
        console.Write(confusion);
    }

    private static string N(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string P(double? v) => v is { } x ? x.ToString("P1", CultureInfo.InvariantCulture) : "–";
}
