using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>2-d max pooling as PyTorch's <c>nn.MaxPool2d</c> (square window; stride defaults to the window size).</summary>
public sealed class MaxPool2d<T>(int kernelSize, int? stride = null, int padding = 0) : Module<T>, IFusedLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Height and width of the window.</summary>
    public int KernelSize { get; } = kernelSize >= 1 ? kernelSize : throw new NablaException($"MaxPool2d kernel size must be at least 1, got {kernelSize}");
    /// <summary>Step between windows.</summary>
    public int Stride { get; } = stride ?? kernelSize;
    /// <summary>−∞ padding on every side.</summary>
    public int Padding { get; } = padding;

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input.MaxPool2d(KernelSize, Stride, Padding);

    /// <summary>Followed by a <see cref="Flatten{T}"/>: the pooling written straight in the flattened shape (no view, no copy back).</summary>
    Tensor<T>? IFusedLayer<T>.FusedWith(Module<T> next, Tensor<T> input) =>
        next is Flatten<T> flatten
            ? input.MaxPool2dShaped(KernelSize, Stride, Padding, flatten.OutputShape(Pooling.OutputShape(input, KernelSize, Stride, Padding)))
            : null;

    /// <inheritdoc/>
    public override string ToString() => $"MaxPool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation=1, ceil_mode=False)";
}

/// <summary>2-d average pooling as PyTorch's <c>nn.AvgPool2d</c> (square window; stride defaults to the window size).</summary>
public sealed class AvgPool2d<T>(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true) : Module<T>, IFusedLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Height and width of the window.</summary>
    public int KernelSize { get; } = kernelSize >= 1 ? kernelSize : throw new NablaException($"AvgPool2d kernel size must be at least 1, got {kernelSize}");
    /// <summary>Step between windows.</summary>
    public int Stride { get; } = stride ?? kernelSize;
    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; } = padding;
    /// <summary>Whether padded zeros count in the divisor (PyTorch's default: yes).</summary>
    public bool CountIncludePad { get; } = countIncludePad;

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input.AvgPool2d(KernelSize, Stride, Padding, CountIncludePad);

    /// <summary>Followed by a <see cref="Flatten{T}"/>: the pooling written straight in the flattened shape (no view, no copy back).</summary>
    Tensor<T>? IFusedLayer<T>.FusedWith(Module<T> next, Tensor<T> input) =>
        next is Flatten<T> flatten
            ? input.AvgPool2dShaped(KernelSize, Stride, Padding, CountIncludePad, flatten.OutputShape(Pooling.OutputShape(input, KernelSize, Stride, Padding)))
            : null;

    /// <inheritdoc/>
    public override string ToString() => $"AvgPool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}

/// <summary>The output shape of a pooling layer, for fusing it with the layer after it.</summary>
internal static class Pooling
{
    /// <summary>[N, C, OH, OW] for <paramref name="input"/> [N, C, H, W] (checked by the op itself when the shape is wrong).</summary>
    public static int[] OutputShape<T>(Tensor<T> input, int kernelSize, int stride, int padding) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (input.Rank != 4) return [.. input.Shape];
        int Out(int size) => (size + 2 * padding - kernelSize) / stride + 1;
        return [input.Shape[0], input.Shape[1], Out(input.Shape[2]), Out(input.Shape[3])];
    }
}

/// <summary>
/// Flattens dimensions <paramref name="startDim"/>…<paramref name="endDim"/> into one, as PyTorch's <c>nn.Flatten</c>
/// (default: everything but the batch dimension, [N, C, H, W] → [N, C·H·W]).
/// </summary>
public sealed class Flatten<T>(int startDim = 1, int endDim = -1) : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The first dimension flattened.</summary>
    public int StartDim { get; } = startDim;
    /// <summary>The last dimension flattened (negative counts from the end).</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input.Reshape(OutputShape([.. input.Shape]));

    /// <summary>The shape this layer gives an input of shape <paramref name="shape"/>; throws when the dimensions are out of range.</summary>
    internal int[] OutputShape(int[] shape)
    {
        if (shape.Length == 0) return [1];
        int s = Shapes.NormalizeAxis(StartDim, shape.Length, "flatten"), e = Shapes.NormalizeAxis(EndDim, shape.Length, "flatten");
        if (s > e) throw new NablaException($"flatten: start dimension {StartDim} comes after end dimension {EndDim} for input of shape {Shapes.Format(shape)}");
        return [.. shape.Take(s), shape.Skip(s).Take(e - s + 1).Aggregate(1, (a, b) => a * b), .. shape.Skip(e + 1)];
    }

    /// <inheritdoc/>
    public override string ToString() => $"Flatten(start_dim={StartDim}, end_dim={EndDim})";
}
