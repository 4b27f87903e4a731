using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>
/// One mini-batch: the inputs [rows, features], the targets [rows, 1] as a regression loss or binary
/// cross-entropy reads them, and for a classifier the class index of each row.
/// </summary>
/// <param name="Inputs">The network's input, one row per sample.</param>
/// <param name="Targets">One target per row, [rows, 1]: a value, or the class index as a number.</param>
/// <param name="Labels">The class index of each row, or null for a regression.</param>
public readonly record struct Batch<T>(Tensor<T> Inputs, Tensor<T> Targets, int[]? Labels)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of samples.</summary>
    public int Rows => Targets.Shape[0];
}
