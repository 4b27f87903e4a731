using System.Globalization;
using Nabla.Data;
using Nabla.Examples;
using Nabla.Nn;
using Nabla.Serialization;
using Nabla.Training;

namespace Nabla.Explain.Networks;

/// <summary>
/// A trained model (a <see cref="ModelFile"/>) as a network to explain on one row of a CSV file: its Linear layers
/// in column form (W = PyTorch's [out, in] weight, b its bias), the hidden activation between them, the output
/// layer linear, and the loss it was trained with; the row's features standardised and its target encoded as the
/// trainer does (standardised for mse, 0/1 for bce, ±1 for hinge, one-hot for ce).
/// </summary>
public static class ModelNetwork
{
    /// <summary>
    /// Explains <paramref name="modelPath"/> on data row <paramref name="row"/> (1 = the first row after the header) of
    /// <paramref name="dataPath"/>, whose fields are separated by <paramref name="separator"/> (null: detected from the header).
    /// </summary>
    public static NetworkExplanation Explain(string modelPath, string dataPath, int row, char? separator = null)
    {
        var model = ModelFile.Load(modelPath); // validates the file and its metadata
        // The matrix form (z = W·a + b, a = f(z)) is a chain of dense layers; a model built from a layer list records its
        // own architecture, which may hold convolutions, pooling or normalisation that this form cannot show.
        if (model.Architecture is not null)
            throw new NablaException($"{modelPath}: the explanation shows multilayer perceptrons (hidden layer sizes, no architecture) in matrix form; "
                + $"this model's architecture is \"{model.Architecture}\"");
        var file = SafetensorsFile.Load(modelPath);
        var csv = CsvLoader.Load(dataPath, new CsvOptions
        {
            Features = model.Features,
            Target = model.Target,
            ClassTarget = model.IsClassifier,
            KnownClasses = model.IsClassifier ? model.Classes : null,
            Separator = separator,
        });
        if (row < 1 || row > csv.Rows)
            throw new NablaException($"row {row}: {dataPath} has {csv.Rows} data row{(csv.Rows == 1 ? "" : "s")} (1 … {csv.Rows})") { Setting = nameof(row) };
        int r = row - 1;

        var input = csv.Features.Row(r).ToArray();
        Standardizer.FromDictionary(file.Metadata, source: modelPath).TransformInPlace(input);
        double t = csv.Targets![r];
        double[] target = model.Loss switch
        {
            "mse" => [(t - Meta(file, "nabla.target_mean")) / Meta(file, "nabla.target_std")],
            "hinge" => [t == 1 ? 1.0 : -1.0],
            "ce" => Enumerable.Range(0, model.Classes.Count).Select(c => c == (int)t ? 1.0 : 0.0).ToArray(),
            "bce" => [t],
            _ => throw UnknownLoss(modelPath, model.Loss),
        };
        var loss = model.Loss switch
        {
            "mse" => NetworkLoss.Mse, "bce" => NetworkLoss.Bce, "ce" => NetworkLoss.CrossEntropy, "hinge" => NetworkLoss.Hinge,
            _ => throw UnknownLoss(modelPath, model.Loss),
        };

        var state = StateDicts.FromSafeTensors<double>(file.Names.Select(n => file.Tensors[n]));
        var layers = new List<DenseLayerSpec>();
        var weightNames = state.Keys.Where(k => k.EndsWith(".weight", StringComparison.Ordinal))
            .OrderBy(k => int.TryParse(k[..k.IndexOf('.')], NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue).ToList();
        for (int k = 0; k < weightNames.Count; k++)
        {
            string prefix = weightNames[k][..^".weight".Length];
            var weight = state[weightNames[k]];
            if (weight.Rank != 2) throw new NablaException($"{modelPath}: \"{weightNames[k]}\" is not a matrix");
            Matrix? bias = state.TryGetValue(prefix + ".bias", out var b) ? new Matrix(b.ElementCount, 1, b.ToArray()) : null;
            layers.Add(new DenseLayerSpec(Matrix.From(weight), bias, k < weightNames.Count - 1 ? model.Activation : "identity"));
        }
        string line = r < csv.Features.Lines.Count ? $", line {csv.Features.Lines[r]}" : "";
        string raw = csv.Targets[r].ToString("R", CultureInfo.InvariantCulture);
        // A regressor learns the standardised target: say so, so that y, the output and the loss are read in those units.
        string targetText = model.IsClassifier ? $"{raw} = class {model.Classes[(int)t]}"
            : model.Loss == "mse" ? $"{raw}, standardised to {NumberText.Display(target[0])} (mean {NumberText.Display(Meta(file, "nabla.target_mean"))}, " +
              $"std {NumberText.Display(Meta(file, "nabla.target_std"))}); y, the outputs, the loss and the gradients below are in standardised units"
            : raw;
        return NetworkExplanation.Of($"{Path.GetFileName(modelPath)} on row {row} of {Path.GetFileName(dataPath)}{line} " +
            $"(features standardised as in training; target {model.Target} = {targetText})",
            new DenseNetwork(layers, loss), input, target);
    }

    // ModelFile.Load accepts only the four losses; a fifth one added there must be explained here, not guessed.
    private static NablaException UnknownLoss(string modelPath, string loss) =>
        new($"{modelPath}: the loss '{loss}' has no matrix-form explanation (mse, bce, ce and hinge have)");

    private static double Meta(SafetensorsFile file, string key) =>
        double.Parse(file.Metadata[key], NumberStyles.Float, CultureInfo.InvariantCulture);
}
