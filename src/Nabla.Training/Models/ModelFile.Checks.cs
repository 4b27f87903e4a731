using System.Globalization;
using System.Numerics;
using Nabla.Data;
using Nabla.IO;
using Nabla.Nn;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Training;

// The checks a model file passes before any network is built from it: the metadata's sizes are only claims,
// so each is parsed without overflow, bounded, and compared with the tensors the file really holds.
public sealed partial class ModelFile
{
    /// <summary>The most layer sizes "nabla.layers" may list (1 000): inputs, every hidden layer and outputs.</summary>
    public const int MaxLayerSizes = 1_000;

    /// <summary>Parses "nabla.layers" ("2,16,1"): 2 to <see cref="MaxLayerSizes"/> positive 32-bit integers.</summary>
    private static int[] LayerList(string path, string text)
    {
        int count = text.Count(c => c == ',') + 1;
        if (count > MaxLayerSizes)
            throw new NablaException($"{path}: metadata \"nabla.layers\" lists {count:N0} sizes; the limit is {MaxLayerSizes:N0}");
        var parts = text.Split(',');
        if (parts.Length < 2)
            throw new NablaException($"{path}: metadata \"nabla.layers\" is \"{Excerpt.Of(text)}\"; a model needs at least an input and an output size");
        var layers = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out layers[i]) || layers[i] <= 0)
                throw new NablaException(
                    $"{path}: metadata \"nabla.layers\" item {i + 1} is \"{Excerpt.Of(parts[i])}\", not a whole number from 1 to {int.MaxValue}");
        }
        return layers;
    }

    /// <summary>
    /// Requires exactly the tensors a network of <paramref name="layers"/> has, with their shapes (PyTorch's
    /// names: "0.weight" [out, in], "0.bias" [out], "2.weight" …), and every value finite.
    /// </summary>
    private static void CheckTensors(string path, int[] layers, SafetensorsFile file)
    {
        var expected = new List<(string Name, int[] Shape)>();
        for (int i = 0; i + 1 < layers.Length; i++)
        {
            expected.Add(($"{2 * i}.weight", [layers[i + 1], layers[i]]));
            expected.Add(($"{2 * i}.bias", [layers[i + 1]]));
        }
        foreach (var (name, shape) in expected)
        {
            if (!file.Tensors.TryGetValue(name, out var tensor))
                throw new NablaException(
                    $"{path}: metadata \"nabla.layers\" = \"{Excerpt.Of(string.Join(",", layers))}\" needs a tensor \"{name}\" of shape [{string.Join(", ", shape)}], but the file has none");
            if (!tensor.Shape.SequenceEqual(shape))
                throw new NablaException(
                    $"{path}: tensor \"{name}\" has shape [{string.Join(", ", tensor.Shape)}], but metadata \"nabla.layers\" = \"{Excerpt.Of(string.Join(",", layers))}\" needs [{string.Join(", ", shape)}]");
            CheckFinite(path, tensor);
        }
        var extra = file.Names.FirstOrDefault(n => !expected.Any(e => e.Name == n));
        if (extra is not null)
            throw new NablaException($"{path}: tensor \"{Excerpt.Of(extra)}\" is not part of a network with layers {string.Join(",", layers)}");
    }

    /// <summary>
    /// For a model described by "nabla.architecture": "nabla.layers" is just [inputs, outputs], and every tensor is
    /// finite (their names and shapes are checked when the state is loaded into the network the description builds).
    /// </summary>
    private static void CheckArchitecture(string path, int[] layers, SafetensorsFile file)
    {
        if (layers.Length != 2)
            throw new NablaException($"{path}: metadata \"nabla.layers\" = \"{Excerpt.Of(string.Join(",", layers))}\"; a model with \"nabla.architecture\" lists only its input and output sizes");
        if (string.IsNullOrWhiteSpace(file.Metadata["nabla.architecture"]))
            throw new NablaException($"{path}: metadata \"nabla.architecture\" is empty");
        foreach (var name in file.Names) CheckFinite(path, file.Tensors[name]);
    }

    /// <summary>"nabla.image" (CxHxW), when present, parsed and checked against the input size.</summary>
    private static ImageShape? ImageOf(string path, SafetensorsFile file, int inputs)
    {
        if (!file.Metadata.TryGetValue("nabla.image", out var text)) return null;
        ImageShape image;
        try { image = ImageShape.Parse(text); }
        catch (NablaException e) { throw new NablaException($"{path}: metadata \"nabla.image\": {e.Message}", e); }
        if (image.Size != inputs)
            throw new NablaException($"{path}: metadata \"nabla.image\" = \"{Excerpt.Of(text)}\" holds {image.Size} pixels, but the model takes {inputs} inputs");
        return image;
    }

    private static void CheckFinite(string path, SafeTensor tensor)
    {
        var values = tensor.ToDoubleArray();
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new NablaException(
                    $"{path}: tensor \"{tensor.Name}\" holds {values[i].ToString(CultureInfo.InvariantCulture)} at element {i}; a model with non-finite weights cannot predict (retrain it)");
        }
    }

    /// <summary>ce: one label per output (at least 2); bce and hinge: exactly 2 labels and one output; mse: none.</summary>
    private static void CheckClasses(string path, string loss, IReadOnlyList<string> classes, int outputs)
    {
        string? problem = loss switch
        {
            "ce" when classes.Count < 2 => $"loss ce needs at least 2 class labels, the file lists {classes.Count}",
            "ce" when classes.Count != outputs => $"the last layer has {outputs} outputs, but loss ce with {classes.Count} class labels needs {classes.Count}",
            "bce" or "hinge" when classes.Count != 2 => $"loss {loss} is for 2 classes, but the file lists {classes.Count} class labels",
            "bce" or "hinge" when outputs != 1 => $"the last layer has {outputs} outputs, but loss {loss} needs 1",
            "mse" when classes.Count != 0 => $"loss mse is a regression, but the file lists {classes.Count} class labels",
            "mse" when outputs != 1 => $"the last layer has {outputs} outputs, but loss mse needs 1",
            _ => null,
        };
        if (problem is not null) throw new NablaException($"{path}: metadata \"nabla.classes\": {problem}");
    }

    /// <summary>
    /// Refuses a network that cannot compute a finite output although every weight is finite: a batch norm's running
    /// variance below zero, or a forward pass that is not finite on the probe rows (all 0, all +1, all −1: the range of
    /// standardised features), naming the first layer whose output is not finite and its tensor of largest magnitude.
    /// </summary>
    private static void CheckComputes<T>(string path, Sequential<T> network, int inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (name, tensor) in network.StateDict())
        {
            if (name != "running_var" && !name.EndsWith(".running_var", StringComparison.Ordinal)) continue;
            var values = tensor.ToArray();
            for (int i = 0; i < values.Length; i++)
                if (values[i] < T.Zero)
                    throw new NablaException(
                        $"{path}: tensor \"{name}\" holds {values[i].ToString("R", CultureInfo.InvariantCulture)} at element {i}; a variance cannot be negative (the batch norm would compute NaN)");
        }
        var probe = new T[3 * inputs];
        probe.AsSpan(inputs, inputs).Fill(T.One);
        probe.AsSpan(2 * inputs, inputs).Fill(-T.One);
        var x = new Tensor<T>(probe, 3, inputs);
        using var _ = NoGrad.Scope();
        foreach (var (name, layer) in network.Children())
        {
            x = layer.Forward(x);
            var output = x.ToArray();
            int bad = Array.FindIndex(output, v => !T.IsFinite(v));
            if (bad < 0) continue;
            string row = (bad / Math.Max(1, output.Length / 3)) switch { 0 => "all 0", 1 => "all +1", _ => "all −1" };
            var largest = layer.StateDict().Select(kv => (Name: $"{name}.{kv.Key}", Max: kv.Value.ToArray().Select(v => double.Abs(double.CreateChecked(v))).DefaultIfEmpty(0).Max()))
                .OrderByDescending(t => t.Max).FirstOrDefault();
            string culprit = largest.Name is null ? "it holds no tensors" : $"its largest value is {largest.Max.ToString("R", CultureInfo.InvariantCulture)} in tensor \"{largest.Name}\"";
            throw new NablaException(
                $"{path}: layer {name} ({layer}) computes {output[bad].ToString("R", CultureInfo.InvariantCulture)} from the probe row of standardised features {row}, " +
                $"so the model cannot give finite predictions; {culprit} (retrain it)");
        }
    }
}
