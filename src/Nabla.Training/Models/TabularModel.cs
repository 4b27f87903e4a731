using System.Numerics;
using Nabla.Data;
using Nabla.Nn;
using Nabla.Training.Metrics;

namespace Nabla.Training;

/// <summary>
/// A network trained on a table, with everything a model file needs to predict from raw rows later: the layer sizes
/// and activation of the MLP, the loss (which says how to read the output), the feature and target names, the
/// classes, and the standardisation of features and target.
/// </summary>
/// <param name="Network">The trained network.</param>
/// <param name="LayerSizes">Neurons per layer, inputs first and outputs last.</param>
/// <param name="Activation">The hidden layers' activation by <see cref="Nn.Activation.Create{T}"/> name.</param>
/// <param name="Loss">The loss it was trained with.</param>
/// <param name="Data">The table it was trained on (names and classes are read from it).</param>
/// <param name="Standardizer">The feature standardisation fitted on the training rows.</param>
/// <param name="TargetScale">Undoes the target's standardisation (identity for a classifier).</param>
/// <param name="Architecture">
/// The <see cref="Nn.Architecture"/> description the network was built from, or null for an MLP of
/// <paramref name="LayerSizes"/> and <paramref name="Activation"/>; with one, <paramref name="LayerSizes"/> is just
/// [inputs, outputs].
/// </param>
public sealed record TabularModel<T>(Module<T> Network, IReadOnlyList<int> LayerSizes, string Activation, TrainingLoss<T> Loss,
    LabeledTable Data, Standardizer Standardizer, TargetScale TargetScale, string? Architecture = null) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Predictions from raw feature rows, as <c>nabla predict</c> makes them.</summary>
    public Predictor<T> Predictor { get; } =
        new(Network, Standardizer, Loss.Name, Data.Classes.Count, TargetScale.Mean, TargetScale.Std, Predictor<T>.ChunkRowsFor(LayerSizes.Max()));

    /// <summary>The precision's name as model files store it: <c>float32</c> or <c>float64</c>.</summary>
    public static string DType => typeof(T) == typeof(float) ? "float32" : typeof(T) == typeof(double) ? "float64" : typeof(T).Name;
}
