using Nabla.Records;

namespace Nabla.Training.Metrics;

/// <summary>Turns the metric accumulators into the run record's score records.</summary>
public static class Scores
{
    /// <summary>The errors as a <see cref="RegressionScores"/>.</summary>
    public static RegressionScores ToScores(this RegressionErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new RegressionScores { Mse = errors.Mse, Rmse = errors.Rmse, Mae = errors.Mae, R2 = errors.R2 };
    }

    /// <summary>The matrix as a <see cref="ClassificationScores"/>, class <c>k</c> labelled <paramref name="classes"/>[k].</summary>
    public static ClassificationScores ToScores(this ConfusionMatrix matrix, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count != matrix.Classes) throw new NablaException($"{classes.Count} class labels for a {matrix.Classes}-class confusion matrix");
        var range = Enumerable.Range(0, matrix.Classes);
        return new ClassificationScores
        {
            Classes = classes,
            Accuracy = matrix.Accuracy,
            Confusion = matrix.ToRows(),
            Precision = [.. range.Select(matrix.Precision)],
            Recall = [.. range.Select(matrix.Recall)],
        };
    }
}
