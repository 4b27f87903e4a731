using System.CommandLine;
using System.Globalization;
using System.Text;
using Nabla.Data;
using Nabla.IO;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla predict --model model.safetensors --data file.csv [--out predictions.csv]</c>: one output row per
/// input row, with a <c>prediction</c> column (the class label for classifiers, the value for regression)
/// and, for classifiers, a <c>p_&lt;class&gt;</c> probability column per class. Columns the model does not
/// use (such as the target) are ignored; a missing feature column is an error naming it.
/// </summary>
public static class PredictCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "A model written by 'nabla train --save'.", Required = true };
        var data = new Option<string>("--data") { Description = "A CSV file with the model's feature columns, or IDX images (gz or not) for a model trained on images.", Required = true };
        var output = new Option<string>("--out") { Description = "Write the predictions here (default: standard output)." };
        var delimiter = DelimiterOption.Create();
        var command = new Command("predict", "Predict with a trained model, one CSV row per input row.") { model, data, output, delimiter };
        command.SetAction(parse => CliAction.Guard(stderr, () =>
            Run(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(output), stdout, stderr, DelimiterOption.Value(parse.GetValue(delimiter)))));
        return command;
    }

    public static int Run(string modelPath, string dataPath, string? outPath, TextWriter stdout, TextWriter stderr, char? delimiter = null)
    {
        if (!File.Exists(modelPath)) throw new CliException($"--model: there is no file {modelPath}");
        var model = ModelFile.Load(modelPath);
        var csv = ModelInput.Load(model, dataPath, null, targets: false, delimiter);
        var predictions = model.Predictor.Predict(csv.Features, csv.Rows);
        RequireFinite(predictions, modelPath, dataPath);

        var text = new StringBuilder();
        text.Append("prediction");
        if (predictions.Probabilities is not null)
            foreach (var label in ProbabilityLabels(model)) text.Append(",p_").Append(Csv(label));
        text.Append('\n');
        for (int r = 0; r < csv.Rows; r++)
        {
            text.Append(model.IsClassifier ? Csv(model.Classes[(int)predictions.Values[r]]) : N(predictions.Values[r]));
            if (predictions.Probabilities is { } p)
                for (int c = 0; c < predictions.Classes; c++) text.Append(',').Append(N(p[r * predictions.Classes + c]));
            text.Append('\n');
        }
        if (outPath is null) stdout.Write(text.ToString());
        else
        {
            OutputPaths.Prepare("--out", outPath);
            OutputPaths.Write("--out", outPath, () => AtomicFile.WriteAllText(outPath, text.ToString()));
            stderr.WriteLine($"wrote {Plural.Of(csv.Rows, "prediction")} to {outPath}");
        }
        return 0;
    }

    /// <summary>
    /// Refuses predictions that are NaN or ±∞ (a class chosen from NaN probabilities would be an arbitrary one), naming
    /// the first row and what the model computed for it.
    /// </summary>
    internal static void RequireFinite(Predictions predictions, string modelPath, string dataPath)
    {
        int k = predictions.Classes;
        for (int r = 0; r < predictions.Values.Length; r++)
        {
            double bad = double.IsFinite(predictions.Values[r]) ? FirstNonFinite(predictions.Probabilities, r, k) : predictions.Values[r];
            if (double.IsFinite(bad)) continue;
            throw new CliException($"{modelPath} computes {N(bad)} for row {r + 1} of {dataPath}, so it has no prediction for it " +
                "(the row's features or the model's weights are too large for its precision)");
        }
    }

    private static double FirstNonFinite(double[]? probabilities, int row, int k)
    {
        if (probabilities is null) return 0;
        foreach (double v in probabilities.AsSpan(row * k, k)) if (!double.IsFinite(v)) return v;
        return 0;
    }

    private static IEnumerable<string> ProbabilityLabels(ModelFile model) => model.Classes;

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    // Quotes a label that holds a comma, a quote or a line break (RFC 4180).
    private static string Csv(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
