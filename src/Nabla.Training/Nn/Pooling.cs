using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>2-d max pooling as PyTorch's <c>nn.MaxPool2d</c> (square window; stride defaults to the window size).</summary>
public sealed class MaxPool2d<T>(int kernelSize, int? stride = null, int padding = 0) : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Height and width of the window.</summary>
    public int KernelSize { get; } = kernelSize >= 1 ? kernelSize : throw new NablaException($"MaxPool2d kernel size must be at least 1, got {kernelSize}");
    /// <summary>Step between windows.</summary>
    public int Stride { get; } = stride ?? kernelSize;
    /// <summary>−∞ padding on every side.</summary>
    public int Padding { get; } = padding;

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input.MaxPool2d(KernelSize, Stride, Padding);

    /// <inheritdoc/>
    public override string ToString() => $"MaxPool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}

/// <summary>2-d average pooling as PyTorch's <c>nn.AvgPool2d</c> (square window; stride defaults to the window size).</summary>
public sealed class AvgPool2d<T>(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true) : Module<T>
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

    /// <inheritdoc/>
    public override string ToString() => $"AvgPool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
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
    public override Tensor<T> Forward(Tensor<T> input)
    {
        if (input.Rank == 0) return input.Reshape(1);
        int s = Shapes.NormalizeAxis(StartDim, input.Rank, "flatten"), e = Shapes.NormalizeAxis(EndDim, input.Rank, "flatten");
        if (s > e) throw new NablaException($"flatten: start dimension {StartDim} comes after end dimension {EndDim} for input of shape {Shapes.Format([.. input.Shape])}");
        int[] shape = [.. input.Shape.Take(s), input.Shape.Skip(s).Take(e - s + 1).Aggregate(1, (a, b) => a * b), .. input.Shape.Skip(e + 1)];
        return input.Reshape(shape);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Flatten(start_dim={StartDim}, end_dim={EndDim})";
}
