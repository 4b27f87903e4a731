using System.Globalization;
using Google.Protobuf;
using Nabla.Data;
using Nabla.IO;
using Nabla.Serialization;
using Nabla.Training;

namespace Nabla.Onnx;

/// <summary>
/// Exports a model written by <c>nabla train --save</c> (see <see cref="ModelFile"/>) as an ONNX file that ONNX
/// Runtime, ML.NET or any ONNX reader can run. The graph takes the raw feature columns as a [N, features] tensor
/// named <c>features</c> in the model's precision (float32 → tensor(float), float64 → tensor(double)) and gives what
/// <c>nabla predict</c> gives: for a classifier <c>probabilities</c> [N, classes] (the <c>p_&lt;class&gt;</c> columns)
/// and <c>label</c> [N] (the class label text); for a regression <c>prediction</c> [N, 1] in the target's units.
/// A text model (<c>nabla train --text</c>) becomes a graph from <c>ids</c> [B, T] (int64) to <c>logits</c> [B, T, V]
///.
/// </summary>
public static class OnnxExport
{
    /// <summary>Reads the model file at <paramref name="modelPath"/> and writes its ONNX graph to <paramref name="onnxPath"/>, atomically.</summary>
    /// <exception cref="NablaException">The file is not a valid Nabla model, or its network cannot be expressed in ONNX.</exception>
    public static void Save(string modelPath, string onnxPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        var model = Build(modelPath);
        AtomicFile.Write(onnxPath, stream =>
        {
            using var output = new CodedOutputStream(stream, leaveOpen: true);
            model.WriteTo(output);
        });
    }

    /// <summary>The ONNX file's bytes for the model file at <paramref name="modelPath"/>.</summary>
    /// <exception cref="NablaException">The file is not a valid Nabla model, or its network cannot be expressed in ONNX.</exception>
    public static byte[] ToBytes(string modelPath) => Build(modelPath).ToByteArray();

    private static ModelProto Build(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (TextModelFile.IsTextModel(modelPath))
            return TextModelFile.DTypeOf(modelPath) == "float32"
                ? OnnxTextGraph.Build(TextModel<float>.Load(modelPath), modelPath)
                : OnnxTextGraph.Build(TextModel<double>.Load(modelPath), modelPath);
        var model = ModelFile.Load(modelPath);   // validates layers, names, shapes and metadata
        var file = SafetensorsFile.Load(modelPath);
        if (model.IsClassifier && model.Classes.Count < 2)
            throw new NablaException($"{modelPath}: a classifier with {model.Classes.Count} class labels cannot be exported");
        if (model.Architecture is { } architecture)
        {
            var described = new MlpExport(model.DType, model.LayerSizes, [], [], model.Activation, model.Loss, model.Classes, model.Features,
                model.Target, model.Standardizer, model.TargetScale.Mean, model.TargetScale.Std);
            return model.Network switch
            {
                Nn.Sequential<float> f => OnnxMlpGraph.Build(described, modelPath, (g, x) => OnnxNetworkGraph.Add(g, x, f, modelPath), architecture),
                Nn.Sequential<double> d => OnnxMlpGraph.Build(described, modelPath, (g, x) => OnnxNetworkGraph.Add(g, x, d, modelPath), architecture),
                _ => throw new NablaException($"{modelPath}: the network is not a sequence of layers"),
            };
        }
        int linears = model.LayerSizes.Length - 1;
        var weights = new double[linears][];
        var biases = new double[linears][];
        for (int i = 0; i < linears; i++)
        {
            weights[i] = Values(file, modelPath, $"{2 * i}.weight", model.LayerSizes[i + 1] * model.LayerSizes[i]);
            biases[i] = Values(file, modelPath, $"{2 * i}.bias", model.LayerSizes[i + 1]);
        }
        var export = new MlpExport(model.DType, model.LayerSizes, weights, biases, model.Activation, model.Loss,
            model.Classes, model.Features, model.Target, Standardizer.FromDictionary(file.Metadata, source: modelPath),
            Number(file, modelPath, "nabla.target_mean"), Number(file, modelPath, "nabla.target_std"));
        if (model.IsClassifier && model.Classes.Count < 2)
            throw new NablaException($"{modelPath}: a classifier with {model.Classes.Count} class labels cannot be exported");
        return OnnxMlpGraph.Build(export, modelPath);
    }

    private static double[] Values(SafetensorsFile file, string path, string name, int count)
    {
        var tensor = file.Get(name, path);
        if (tensor.ElementCount != count) throw new NablaException($"{path}: tensor \"{name}\" holds {tensor.ElementCount} values, the layer sizes need {count}");
        return tensor.ToDoubleArray();
    }

    private static double Number(SafetensorsFile file, string path, string key) =>
        file.Metadata.TryGetValue(key, out var text)
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
            : throw new NablaException($"{path}: metadata \"{key}\" is missing or not a finite number");
}
