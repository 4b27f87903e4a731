using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// Reshapes rows of flat features [N, C·H·W] into images [N, C, H, W], as PyTorch's <c>nn.Unflatten(1, (C, H, W))</c>:
/// the first layer of a network built for images that arrive as rows of pixel columns.
/// </summary>
public sealed class Unflatten<T>(params int[] shape) : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The shape each row becomes.</summary>
    public IReadOnlyList<int> Shape { get; } = shape.Length > 0 && shape.All(d => d >= 1) ? (int[])shape.Clone()
        : throw new NablaException($"Unflatten needs positive sizes, got {Shapes.Format(shape)}");

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int size = Shape.Aggregate(1, (a, b) => a * b);
        if (input.Rank != 2 || input.Shape[1] != size)
            throw new NablaException($"Unflatten to {Shapes.Format([.. Shape])} needs input of shape [N, {size}], got {Shapes.Format([.. input.Shape])}");
        return input.Reshape([input.Shape[0], .. Shape]);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Unflatten(dim=1, unflattened_size={Shapes.Format([.. Shape])})";
}
