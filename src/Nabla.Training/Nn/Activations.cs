using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>y = max(x, 0) element-wise; dy/dx = 1 for x &gt; 0, else 0 (vectorised forward and backward).</summary>
public sealed class ReLU<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input.Relu();
}

/// <summary>y = 1/(1 + e⁻ˣ) element-wise; dy/dx = y(1 − y).</summary>
public sealed class Sigmoid<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input.Sigmoid();
}

/// <summary>y = tanh x element-wise; dy/dx = 1 − y².</summary>
public sealed class Tanh<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input.Tanh();
}

/// <summary>y = sin x element-wise; dy/dx = cos x.</summary>
public sealed class Sin<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input.Sin();
}

/// <summary>y = x (the same tensor, nothing recorded).</summary>
public sealed class Identity<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input;
}

/// <summary>y = softmax(x) along <paramref name="axis"/> (stable: exp(x − max) / Σ exp(x − max)).</summary>
public sealed class Softmax<T>(int axis = -1) : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The axis the probabilities sum to 1 along (negative counts from the end).</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input.Softmax(Axis);

    /// <summary>"Softmax(dim=axis)", as PyTorch prints it.</summary>
    public override string ToString() => $"Softmax(dim={Axis})";
}

/// <summary>Activation modules by name, for builders and the command line.</summary>
public static class Activation
{
    /// <summary>The names <see cref="Create{T}"/> accepts (case-insensitive).</summary>
    public static IReadOnlyList<string> Names { get; } = ["relu", "sigmoid", "tanh", "sin", "identity", "softmax"];

    /// <summary>A new activation module: relu, sigmoid, tanh, sin, identity (also "linear" or "none") or softmax (last axis).</summary>
    public static Module<T> Create<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> =>
        name.ToLowerInvariant() switch
        {
            "relu" => new ReLU<T>(),
            "sigmoid" => new Sigmoid<T>(),
            "tanh" => new Tanh<T>(),
            "sin" => new Sin<T>(),
            "identity" or "linear" or "none" => new Identity<T>(),
            "softmax" => new Softmax<T>(),
            _ => throw new NablaException($"unknown activation \"{name}\"; use one of {string.Join(", ", Names)}"),
        };
}
