using System.Text.Json.Serialization;

namespace Nabla.Records;

/// <summary>The network's parameters after one epoch, and, for two inputs, its output over the input plane.</summary>
public sealed record RunSnapshot
{
    /// <summary>The epoch after which the parameters were taken, counted from 1 (0 for the initial weights).</summary>
    public required int Epoch { get; init; }

    /// <summary>One entry per weight matrix: <c>Layers[i]</c> connects layer i to layer i + 1.</summary>
    public required IReadOnlyList<LayerSnapshot> Layers { get; init; }

    /// <summary>The model's output over a grid of the input plane, or null.</summary>
    public GridValues? Grid { get; init; }

    /// <summary>The filters of every convolution layer, in network order; null (and absent from the file) when there are none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<FilterSnapshot>? Filters { get; init; }
}

/// <summary>
/// One convolution layer's filters: <c>Weight</c> holds the [out, in / groups, kernel height, kernel width] weight
/// (PyTorch's layout) row-major, so filter o's kernel for input channel i starts at ((o · in) + i) · kh · kw.
/// </summary>
public sealed record FilterSnapshot
{
    /// <summary>The layer's state-dict name (its position in the network), e.g. "1".</summary>
    public required string Name { get; init; }

    /// <summary>[out, in / groups, kernel height, kernel width].</summary>
    public required IReadOnlyList<int> Shape { get; init; }

    /// <summary>The weights, row-major in <see cref="Shape"/>.</summary>
    public required IReadOnlyList<double> Weight { get; init; }
}

/// <summary>
/// One linear layer's parameters, in PyTorch's convention: <c>Weight[o][i]</c> multiplies input neuron i and feeds
/// output neuron o, so the shape is [out][in]; <c>Bias[o]</c> is added to output neuron o. The gradients, when
/// recorded, have the same shapes and are ∂loss/∂parameter of the last mini-batch of the epoch.
/// </summary>
public sealed record LayerSnapshot
{
    /// <summary>The weights, [out][in].</summary>
    public required IReadOnlyList<IReadOnlyList<double>> Weight { get; init; }

    /// <summary>The biases, [out].</summary>
    public required IReadOnlyList<double> Bias { get; init; }

    /// <summary>∂loss/∂weight, [out][in], or null when not recorded.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? WeightGrad { get; init; }

    /// <summary>∂loss/∂bias, [out], or null when not recorded.</summary>
    public IReadOnlyList<double>? BiasGrad { get; init; }
}

/// <summary>
/// The model's first output sampled on an <see cref="Nx"/> × <see cref="Ny"/> lattice of the input plane:
/// <c>Values[r * Nx + c]</c> is the output at x = XMin + c·(XMax − XMin)/(Nx − 1), y = YMin + r·(YMax − YMin)/(Ny − 1),
/// so row 0 is y = YMin (as <c>numpy.meshgrid(numpy.linspace(...), numpy.linspace(...))</c> flattened row-major).
/// For a binary classifier a value is p(class 1); for more classes it is the predicted class index; for a
/// regression it is the predicted value. Coordinates are in the units of <see cref="DataPoints.X"/>.
/// </summary>
public sealed record GridValues
{
    /// <summary>The first input's smallest sampled value.</summary>
    public required double XMin { get; init; }

    /// <summary>The first input's largest sampled value.</summary>
    public required double XMax { get; init; }

    /// <summary>The second input's smallest sampled value.</summary>
    public required double YMin { get; init; }

    /// <summary>The second input's largest sampled value.</summary>
    public required double YMax { get; init; }

    /// <summary>Samples along the first input, at least 2.</summary>
    public required int Nx { get; init; }

    /// <summary>Samples along the second input, at least 2.</summary>
    public required int Ny { get; init; }

    /// <summary><see cref="Nx"/> · <see cref="Ny"/> values, row-major, row 0 at <see cref="YMin"/>.</summary>
    public required IReadOnlyList<double> Values { get; init; }

    /// <summary>
    /// For a classifier of more than two classes, every class's probability at every sample:
    /// <c>Probabilities[(r * Nx + c) * classes + k]</c>, so the report can draw smooth boundaries; null otherwise.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? Probabilities { get; init; }
}

/// <summary>The samples of a two-input run, drawn over the heat map.</summary>
public sealed record DataPoints
{
    /// <summary>One [x1, x2] pair per sample.</summary>
    public required IReadOnlyList<IReadOnlyList<double>> X { get; init; }

    /// <summary>One target per sample: a class label 0 … classes − 1, or a value for a regression.</summary>
    public required IReadOnlyList<double> Y { get; init; }
}
