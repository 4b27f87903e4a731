using System.Globalization;
using Nabla.Data;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary>
/// The rows <c>predict</c> and <c>evaluate</c> feed a model: the model's feature columns of a CSV file, or the images
/// of an IDX file (MNIST's layout, gz or not), which must have the model's image shape.
/// </summary>
/// <param name="Features">Raw feature values, row-major.</param>
/// <param name="Rows">The number of rows.</param>
/// <param name="Targets">Per row, the class index or value of the target; null when not asked for.</param>
internal sealed record ModelInput(double[] Features, int Rows, double[]? Targets)
{
    /// <summary>
    /// Reads <paramref name="dataPath"/> for <paramref name="model"/>; with <paramref name="targets"/> the target
    /// column (CSV) or the labels of <paramref name="labelsPath"/> (IDX) too, as class indices of the model.
    /// </summary>
    public static ModelInput Load(ModelFile model, string dataPath, string? labelsPath, bool targets, char? separator = null)
    {
        if (!IdxImages.LooksLikeIdx(dataPath))
        {
            if (labelsPath is not null) throw new CliException($"--labels goes with IDX images, but --data {dataPath} is not an IDX file");
            var options = new CsvOptions
            {
                Features = model.Features,
                Target = targets ? model.Target : null,
                ClassTarget = targets && model.IsClassifier,
                KnownClasses = targets && model.IsClassifier ? model.Classes : null,
                Separator = separator,
            };
            if (!targets)
            {
                var table = CsvLoader.LoadTable(dataPath, options);
                return new ModelInput(table.Values, table.Rows, null);
            }
            var csv = CsvLoader.Load(dataPath, options);
            return new ModelInput(csv.Features.Values, csv.Rows, csv.Targets);
        }
        if (model.Image is not { } shape)
            throw new CliException($"--data {dataPath} holds IDX images, but {model.Path} was trained on table columns ({model.Features.Count} features), not images");
        if (targets && labelsPath is null) throw new CliException($"--data {dataPath} holds IDX images; give their labels with --labels to evaluate");
        if (targets)
        {
            var set = IdxImages.Load(dataPath, labelsPath!);
            CheckShape(model, dataPath, shape, set.Image!.Value);
            var indices = new double[set.Rows];
            for (int r = 0; r < set.Rows; r++)
            {
                string label = set.Targets[r].ToString(CultureInfo.InvariantCulture);
                int index = IndexOf(model.Classes, label);
                indices[r] = index >= 0 ? index
                    : throw new CliException($"{labelsPath}: label {r} is {label}, which is not one of the model's classes ({string.Join(", ", model.Classes.Take(20))})");
            }
            return new ModelInput(set.Features.Values, set.Rows, indices);
        }
        var (pixels, count, found) = IdxImages.LoadImages(dataPath);
        CheckShape(model, dataPath, shape, found);
        return new ModelInput(pixels, count, null);
    }

    private static int IndexOf(IReadOnlyList<string> classes, string label)
    {
        for (int i = 0; i < classes.Count; i++) if (classes[i] == label) return i;
        return -1;
    }

    private static void CheckShape(ModelFile model, string dataPath, ImageShape expected, ImageShape found)
    {
        if (found != expected)
            throw new CliException($"--data {dataPath} holds images of {found}, but {model.Path} was trained on images of {expected}");
    }
}
