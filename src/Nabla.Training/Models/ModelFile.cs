using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nabla.Data;
using Nabla.IO;
using Nabla.Nn;
using Nabla.Serialization;

namespace Nabla.Training;

/// <summary>
/// A trained model on disk: a safetensors file whose tensors are the network's state dictionary with
/// PyTorch's names (<c>0.weight</c> [out, in], <c>0.bias</c>, <c>2.weight</c> …, so it loads into an
/// <c>nn.Sequential</c> of Linear and activation layers) and whose metadata says everything
/// <c>predict</c> needs: layer sizes, activation, loss, task, class labels, feature and target names,
/// and the standardisation fitted on the training rows.
/// </summary>
public sealed partial class ModelFile
{
    private ModelFile(string path, int[] layers, string activation, string loss, string dtype, IReadOnlyList<string> features,
        string target, IReadOnlyList<string> classes, IPredictor predictor)
    {
        Path = path; LayerSizes = layers; Activation = activation; Loss = loss; DType = dtype;
        Features = features; Target = target; Classes = classes; Predictor = predictor;
    }

    /// <summary>
    /// The <see cref="Nn.Architecture"/> description of the network ("conv 6 5, relu, …"), or null for an MLP of
    /// <see cref="LayerSizes"/> and <see cref="Activation"/>.
    /// </summary>
    public string? Architecture { get; private init; }

    /// <summary>The shape of one input image when the model reads rows of pixels as images, otherwise null.</summary>
    public ImageShape? Image { get; private init; }

    /// <summary>The network in evaluation mode: a <see cref="Module{T}"/> of float or double, as <see cref="DType"/> says.</summary>
    internal object Network { get; private init; } = null!;

    /// <summary>The feature standardisation fitted on the training rows.</summary>
    internal Standardizer Standardizer { get; private init; } = null!;

    /// <summary>A regression target's mean and standard deviation, which scale the network's output back.</summary>
    internal (double Mean, double Std) TargetScale { get; private init; }

    /// <summary>The file the model was read from or written to.</summary>
    public string Path { get; }
    /// <summary>The width of each layer, inputs first and outputs last.</summary>
    public int[] LayerSizes { get; }
    /// <summary>The hidden layers' activation name (see <see cref="Nabla.Nn.Activation"/>).</summary>
    public string Activation { get; }
    /// <summary>The loss the model was trained with; "mse" means regression, any other a classifier.</summary>
    public string Loss { get; }
    /// <summary>The element type of the stored tensors.</summary>
    public string DType { get; }
    /// <summary>The feature column names, in input order.</summary>
    public IReadOnlyList<string> Features { get; }
    /// <summary>The target column's name.</summary>
    public string Target { get; }

    /// <summary>Label text per class index; empty for a regression model.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>True unless the loss is "mse".</summary>
    public bool IsClassifier => Loss != "mse";
    /// <summary>Turns raw feature rows into this model's predictions.</summary>
    public IPredictor Predictor { get; }

    /// <summary>Writes a trained tabular model to <paramref name="path"/>, atomically.</summary>
    public static void Save<T>(string path, TabularModel<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        var metadata = new Dictionary<string, string>
        {
            ["nabla.kind"] = "model",
            ["nabla.version"] = "1",
            ["nabla.layers"] = string.Join(",", model.LayerSizes),
            ["nabla.loss"] = model.Loss.Name,
            ["nabla.dtype"] = TabularModel<T>.DType,
            ["nabla.features"] = JsonSerializer.Serialize(model.Data.Features.ColumnNames, NablaJsonContext.Default.IReadOnlyListString),
            ["nabla.target"] = model.Data.TargetName,
            ["nabla.classes"] = JsonSerializer.Serialize(model.Data.Classes, NablaJsonContext.Default.IReadOnlyListString),
            ["nabla.target_mean"] = model.TargetScale.Mean.ToString("R", CultureInfo.InvariantCulture),
            ["nabla.target_std"] = model.TargetScale.Std.ToString("R", CultureInfo.InvariantCulture),
        };
        if (model.Architecture is { } architecture) metadata["nabla.architecture"] = architecture;
        else metadata["nabla.activation"] = model.Activation;
        if (model.Data.Image is { } image) metadata["nabla.image"] = image.ToString();
        foreach (var (key, value) in model.Standardizer.ToDictionary()) metadata[key] = value;
        SafetensorsFile.Save(path, StateDicts.ToSafeTensors(model.Network.StateDict()), metadata);
    }

    /// <summary>Reads and validates a model file; every problem is an error naming the file.</summary>
    public static ModelFile Load(string path)
    {
        var file = SafetensorsFile.Load(path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v) ? v
            : throw new NablaException($"{path}: not a Nabla model (its metadata has no \"{key}\")");
        if (Meta("nabla.kind") != "model") throw new NablaException($"{path}: a {Excerpt.Of(Meta("nabla.kind"))} file, not a model (a model file is the one saved after training, not a checkpoint)");
        if (Meta("nabla.version") != "1") throw new NablaException($"{path}: model format version {Excerpt.Of(Meta("nabla.version"))} is not supported (this Nabla reads version 1)");
        var layers = LayerList(path, Meta("nabla.layers"));
        string? architecture = file.Metadata.GetValueOrDefault("nabla.architecture");
        string activation = architecture is null ? Meta("nabla.activation") : "", loss = Meta("nabla.loss"), dtype = Meta("nabla.dtype");
        if (architecture is null && !Nn.Activation.Names.Contains(activation)) throw new NablaException($"{path}: unknown activation \"{Excerpt.Of(activation)}\"");
        if (!LossNames.Contains(loss)) throw new NablaException($"{path}: unknown loss \"{Excerpt.Of(loss)}\"");
        if (dtype is not ("float32" or "float64")) throw new NablaException($"{path}: unknown dtype \"{Excerpt.Of(dtype)}\"");
        // The tensors are already in memory and bounded by the file's size; the sizes the metadata claims are not,
        // so they are checked against the tensors before anything is built from them.
        if (architecture is null) CheckTensors(path, layers, file);
        else CheckArchitecture(path, layers, file);
        var image = ImageOf(path, file, layers[0]);
        var features = Strings(path, Meta("nabla.features"), "nabla.features", "feature names");
        var classes = Strings(path, Meta("nabla.classes"), "nabla.classes", "class labels");
        if (features.Count != layers[0]) throw new NablaException($"{path}: {features.Count} feature names for {layers[0]} inputs");
        CheckClasses(path, loss, classes, layers[^1]);
        double mean = Number(path, Meta("nabla.target_mean")), std = Number(path, Meta("nabla.target_std"));
        var standardizer = Standardizer.FromDictionary(file.Metadata, source: path);
        if (standardizer.Features != layers[0]) throw new NablaException($"{path}: the standardisation covers {standardizer.Features} features, the model takes {layers[0]}");
        var tensors = file.Names.Select(n => file.Tensors[n]).ToList();
        var network = new NetworkSpec(path, layers, activation, architecture, image, tensors);
        var (module, predictor) = dtype == "float32"
            ? Build<float>(network, loss, classes.Count, standardizer, mean, std)
            : Build<double>(network, loss, classes.Count, standardizer, mean, std);
        return new ModelFile(path, layers, activation, loss, dtype, features, Meta("nabla.target"), classes, predictor)
        {
            Architecture = architecture, Image = image, Network = module, Standardizer = standardizer, TargetScale = (mean, std),
        };
    }

    private static readonly string[] LossNames = ["mse", "bce", "ce", "hinge"];

    /// <summary>What the file says the network is: an MLP of <c>Layers</c> and <c>Activation</c>, or an architecture description.</summary>
    private sealed record NetworkSpec(string Path, int[] Layers, string Activation, string? Architecture, ImageShape? Image, List<SafeTensor> Tensors);

    private static (object Module, IPredictor Predictor) Build<T>(NetworkSpec n, string loss, int classes, Standardizer standardizer, double mean, double std)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Module<T> model;
        int widest = n.Layers.Max();
        if (n.Architecture is null) model = Mlp.Create<T>(n.Layers, n.Activation, init: InitScheme.Zeros);
        else
        {
            int[] output;
            try
            {
                (model, output) = Nn.Architecture.Build<T>(n.Architecture, [n.Layers[0]], new Rng.RandomState(0), n.Image?.ToArray(),
                    n.Tensors.Sum(t => t.ElementCount));
            }
            catch (NablaException e) { throw new NablaException($"{n.Path}: metadata \"nabla.architecture\": {e.Message}", e); }
            if (!output.SequenceEqual([n.Layers[^1]]))
                throw new NablaException($"{n.Path}: metadata \"nabla.architecture\" gives outputs of shape {Nabla.Tensors.Shapes.Format(output)} per sample, but metadata \"nabla.layers\" says {n.Layers[^1]}");
            widest = Math.Max(widest, n.Image?.Size ?? 0);
        }
        try { model.LoadStateDict(StateDicts.FromSafeTensors<T>(n.Tensors)); }
        catch (NablaException e) { throw new NablaException($"{n.Path}: {e.Message}", e); }
        model.Eval();
        CheckComputes(n.Path, (Sequential<T>)model, n.Layers[0]);
        return (model, new Predictor<T>(model, standardizer, loss, classes, mean, std, Predictor<T>.ChunkRowsFor(widest)));
    }

    private static List<string> Strings(string path, string json, string key, string what)
    {
        JsonStrings.Validate(json, path, $"metadata \"{key}\"");
        List<string>? list;
        try { list = JsonSerializer.Deserialize(json, NablaJsonContext.Default.ListString); }
        catch (JsonException) { throw new NablaException($"{path}: the {what} (\"{key}\") are not a JSON list of strings: {Excerpt.Of(json)}"); }
        if (list is null || list.Any(s => s is null))
            throw new NablaException($"{path}: the {what} (\"{key}\") are not a JSON list of strings: {Excerpt.Of(json)}");
        return list;
    }

    private static double Number(string path, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
            : throw new NablaException($"{path}: \"{Excerpt.Of(text)}\" is not a finite number");
}
