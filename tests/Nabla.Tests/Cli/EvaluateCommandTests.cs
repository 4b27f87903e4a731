using System.Globalization;
using System.Text.Json;

namespace Nabla.Tests.Cli;

/// <summary>
/// <c>nabla evaluate</c> against metrics the test computes itself from <c>nabla predict</c>'s output and the target
/// column of the same rows.
/// </summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-cli-evaluate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static double[] Column(string csv, int column) =>
        [.. csv.TrimEnd('\n').Split('\n').Skip(1).Select(line => double.Parse(line.Split(',')[column], CultureInfo.InvariantCulture))];

    [Fact]
    public void A_regressors_errors_are_in_the_targets_units_and_match_predict()
    {
        var random = new Random(4);
        string Rows(int n) => string.Join("\n", Enumerable.Range(0, n).Select(_ =>
        {
            double x = random.NextDouble() * 10, z = random.NextDouble();
            return FormattableString.Invariant($"{x:R},{z:R},{300 + 40 * x + 25 * Math.Sin(3 * z) + random.NextDouble() * 5:R}");
        }));
        File.WriteAllText(P("train.csv"), "x,z,price\n" + Rows(300) + "\n");
        File.WriteAllText(P("test.csv"), "x,z,price\n" + Rows(80) + "\n");
        var (exit, stdout, stderr) = CliRunner.Run("train", "--data", P("train.csv"), "--target", "price", "--epochs", "40", "--save", P("m.safetensors"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("task: regression, because 'price' holds", stdout);
        Assert.Contains("RMSE (price)", stdout);

        var predict = CliRunner.Run("predict", "--model", P("m.safetensors"), "--data", P("test.csv"));
        Assert.Equal(0, predict.Exit);
        double[] predicted = Column(predict.Out, 0), actual = Column(File.ReadAllText(P("test.csv")), 2);
        double mse = actual.Zip(predicted, (a, p) => (a - p) * (a - p)).Average();
        double mae = actual.Zip(predicted, (a, p) => Math.Abs(a - p)).Average();
        double mean = actual.Average();
        double r2 = 1 - actual.Zip(predicted, (a, p) => (a - p) * (a - p)).Sum() / actual.Sum(a => (a - mean) * (a - mean));

        var evaluate = CliRunner.Run("evaluate", "--model", P("m.safetensors"), "--data", P("test.csv"), "--json");
        Assert.True(evaluate.Exit == 0, evaluate.Err);
        var json = JsonDocument.Parse(evaluate.Out).RootElement;
        Assert.Equal(mse, json.GetProperty("mse").GetDouble(), 1e-9 * mse);
        Assert.Equal(Math.Sqrt(mse), json.GetProperty("rmse").GetDouble(), 1e-9 * Math.Sqrt(mse));
        Assert.Equal(mae, json.GetProperty("mae").GetDouble(), 1e-9 * mae);
        Assert.Equal(r2, json.GetProperty("r2").GetDouble(), 1e-9);
        Assert.Equal(80, json.GetProperty("rows").GetInt32());

        var text = CliRunner.Run("evaluate", "--model", P("m.safetensors"), "--data", P("test.csv"));
        Assert.Contains("RMSE", text.Out);
        Assert.Contains("units of 'price'", text.Out);
    }

    [Fact]
    public void A_classifiers_accuracy_and_confusion_match_predict_with_text_labels()
    {
        var random = new Random(8);
        string[] names = ["setosa", "versicolor", "virginica"];
        string Rows(int n) => string.Join("\n", Enumerable.Range(0, n).Select(i =>
        {
            int k = i % 3;
            return FormattableString.Invariant($"{k + random.NextDouble() * 1.6:R},{2 * k - random.NextDouble() * 2:R},{names[k]}");
        }));
        File.WriteAllText(P("train.csv"), "a,b,species\n" + Rows(240) + "\n");
        File.WriteAllText(P("test.csv"), "a,b,species\n" + Rows(90) + "\n");
        var (exit, stdout, stderr) = CliRunner.Run("train", "--data", P("train.csv"), "--target", "species", "--epochs", "20", "--save", P("m.safetensors"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("task: classification into 3 classes, because 'species' holds text labels", stdout);
        Assert.Contains("precision virginica", stdout);

        var predict = CliRunner.Run("predict", "--model", P("m.safetensors"), "--data", P("test.csv"));
        var predicted = predict.Out.TrimEnd('\n').Split('\n').Skip(1).Select(l => l.Split(',')[0]).ToArray();
        var actual = File.ReadAllText(P("test.csv")).TrimEnd('\n').Split('\n').Skip(1).Select(l => l.Split(',')[2]).ToArray();

        var evaluate = CliRunner.Run("evaluate", "--model", P("m.safetensors"), "--data", P("test.csv"), "--json");
        Assert.True(evaluate.Exit == 0, evaluate.Err);
        var json = JsonDocument.Parse(evaluate.Out).RootElement;
        Assert.Equal(names, json.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal(actual.Zip(predicted).Count(p => p.First == p.Second) / 90.0, json.GetProperty("accuracy").GetDouble(), 15);
        var confusion = json.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        for (int a = 0; a < 3; a++)
            for (int p = 0; p < 3; p++)
                Assert.Equal(actual.Zip(predicted).Count(x => x.First == names[a] && x.Second == names[p]), confusion[a][p]);
    }

    [Fact]
    public void Rows_without_the_target_column_or_with_an_unknown_class_are_refused_with_the_place()
    {
        File.WriteAllText(P("train.csv"), "a,label\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i % 2 + 0.1 * (i % 5)},{i % 2}")) + "\n");
        Assert.Equal(0, CliRunner.Run("train", "--data", P("train.csv"), "--target", "label", "--epochs", "2", "--save", P("m.safetensors")).Exit);
        File.WriteAllText(P("nolabel.csv"), "a\n0.5\n");
        var (exit, _, stderr) = CliRunner.Run("evaluate", "--model", P("m.safetensors"), "--data", P("nolabel.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("label", stderr);
        File.WriteAllText(P("unknown.csv"), "a,label\n0.5,7\n");
        (exit, _, stderr) = CliRunner.Run("evaluate", "--model", P("m.safetensors"), "--data", P("unknown.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("unknown.csv:2", stderr);
        Assert.Contains("\"7\"", stderr);
    }
}
