using Nabla.Rng;
using Nabla.Training;
using Nabla.Training.Metrics;

namespace Nabla.Tests.Training;

public sealed class MetricsTests
{
    [Fact]
    public void The_confusion_matrix_and_per_class_precision_and_recall_follow_their_definitions()
    {
        var rng = new RandomState(5);
        int[] actual = [.. rng.RandInt(0, 3, 500).Select(v => (int)v)];
        // A predictor right about 70 % of the time, otherwise a random class.
        var coin = rng.Uniform(0, 1, 500);
        var other = rng.RandInt(0, 3, 500);
        int[] predicted = [.. actual.Select((a, i) => coin[i] < 0.7 ? a : (int)other[i])];
        var matrix = new ConfusionMatrix(3);
        for (int i = 0; i < actual.Length; i++) matrix.Add(actual[i], predicted[i]);

        Assert.Equal(actual.Zip(predicted).Count(p => p.First == p.Second) / 500.0, matrix.Accuracy, 15);
        for (int c = 0; c < 3; c++)
        {
            for (int p = 0; p < 3; p++) Assert.Equal(actual.Zip(predicted).Count(x => x.First == c && x.Second == p), matrix[c, p]);
            int truePositives = actual.Zip(predicted).Count(x => x.First == c && x.Second == c);
            Assert.Equal((double)truePositives / predicted.Count(p => p == c), matrix.Precision(c)!.Value, 15);
            Assert.Equal((double)truePositives / actual.Count(a => a == c), matrix.Recall(c)!.Value, 15);
        }
    }

    [Fact]
    public void Precision_of_a_class_never_predicted_and_recall_of_a_class_never_seen_are_undefined()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add(0, 0);
        matrix.Add(1, 0);
        Assert.Null(matrix.Precision(1));
        Assert.Null(matrix.Recall(2));
        Assert.Equal(0.5, matrix.Precision(0));
        Assert.Contains("class index 3", Assert.Throws<NablaException>(() => matrix.Add(3, 0)).Message);
    }

    [Fact]
    public void Regression_errors_match_a_two_pass_computation()
    {
        var rng = new RandomState(9);
        var actual = rng.Normal(1000, 50, 400);
        var predicted = actual.Zip(rng.Normal(0, 10, 400), (a, e) => a + e).ToArray();
        var errors = new RegressionErrors();
        for (int i = 0; i < actual.Length; i++) errors.Add(actual[i], predicted[i]);

        double mse = actual.Zip(predicted, (a, p) => (p - a) * (p - a)).Average();
        double mae = actual.Zip(predicted, (a, p) => Math.Abs(p - a)).Average();
        double mean = actual.Average();
        double r2 = 1 - actual.Zip(predicted, (a, p) => (p - a) * (p - a)).Sum() / actual.Sum(a => (a - mean) * (a - mean));
        Assert.Equal(mse, errors.Mse, 1e-9 * mse);
        Assert.Equal(Math.Sqrt(mse), errors.Rmse, 1e-9 * Math.Sqrt(mse));
        Assert.Equal(mae, errors.Mae, 1e-9 * mae);
        Assert.Equal(r2, errors.R2!.Value, 1e-9);
    }

    [Fact]
    public void R2_of_a_constant_target_is_undefined()
    {
        var errors = new RegressionErrors();
        errors.Add(3, 2);
        errors.Add(3, 4);
        Assert.Null(errors.R2);
        Assert.Equal(1, errors.Mse);
    }

    [Theory]
    [InlineData(new[] { "0", "1" }, TaskKind.Classification)]
    [InlineData(new[] { "1", "2", "3", "4", "5" }, TaskKind.Classification)]
    [InlineData(new[] { "cat", "dog" }, TaskKind.Classification)]
    [InlineData(new[] { "0.5", "1", "2" }, TaskKind.Regression)]
    [InlineData(new[] { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11" }, TaskKind.Regression)]
    public void The_task_follows_from_the_targets_distinct_values(string[] labels, TaskKind expected)
    {
        var kind = TargetKind.Detect("y", labels);
        Assert.Equal(expected, kind.Suggested);
        Assert.Contains("'y' holds", kind.Reason);
    }
}
