namespace Nabla.Losses;

/// <summary>How a loss combines its per-element (or per-sample) values into the returned tensor.</summary>
public enum Reduction
{
    /// <summary>The average over all elements (for cross-entropy: over the batch). A 0-d tensor. The default.</summary>
    Mean,

    /// <summary>The sum over all elements. A 0-d tensor.</summary>
    Sum,

    /// <summary>No reduction: one loss per element (for cross-entropy: per sample), in the input's shape.</summary>
    None,
}
