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

    private static IEnumerable<string> ProbabilityLabels(ModelFile model) => model.Classes;

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    // Quotes a label that holds a comma, a quote or a line break (RFC 4180).
    private static string Csv(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
