using System.Collections;
using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// Modules applied in order, each one's output the next one's input. Children are named "0", "1", … by position,
/// so parameters are named as in PyTorch's <c>nn.Sequential</c> (<c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, …).
/// </summary>
public sealed class Sequential<T>(params IEnumerable<Module<T>> layers) : Module<T>, IReadOnlyList<Module<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Module<T>> layers = [.. layers];

    /// <summary>Appends <paramref name="layer"/> (named by its position) and returns this, for chaining.</summary>
    public Sequential<T> Add(Module<T> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        layers.Add(layer);
        return this;
    }

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module<T> this[int index] => layers[index];

    /// <summary>The number of layers.</summary>
    public int Count => layers.Count;

    /// <summary>
    /// x passed through every layer in order (the input itself when empty). A <see cref="Linear{T}"/> followed by a
    /// <see cref="ReLU{T}"/>, <see cref="Sigmoid{T}"/> or <see cref="Tanh{T}"/> runs as one fused op (same values and
    /// gradients bit for bit, one tensor instead of two, the bias gradient fused with the activation's derivative); so
    /// does a <see cref="Conv2d{T}"/> followed by one of them, and a pooling layer followed by a <see cref="Flatten{T}"/>.
    /// Between two built-in layers (Linear, ReLU, Sigmoid, Tanh, Conv2d, MaxPool2d, AvgPool2d) the activation never reaches the caller, so its memory
    /// goes back to the engine's pool once no graph node needs it (at once under NoGrad, else when Backward frees the graph).
    /// While any layer has a forward hook (<see cref="Module{T}.RegisterForwardHook"/>), every layer is called on its own
    /// through <see cref="Module{T}.Call"/>, unfused and with every activation kept, since a hook may hold on to it.
    /// </summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        if (AnyLayerHooked()) return ForwardEachLayer(input);
        var x = input;
        bool xBuiltIn = false;   // x was made here by a built-in layer: only this loop and the graph hold it
        for (int i = 0; i < layers.Count; i++)
        {
            Tensor<T> y;
            bool builtIn;
            if (layers[i] is Linear<T> linear && i + 1 < layers.Count && Fused(linear, layers[i + 1], x) is { } fused)
            {
                (y, builtIn) = (fused, true);
                i++;
            }
            else if (layers[i] is IFusedLayer<T> f && i + 1 < layers.Count && f.FusedWith(layers[i + 1], x) is { } fusedPair)
                (y, builtIn, i) = (fusedPair, true, i + 1);
            else (y, builtIn) = (layers[i].Forward(x), layers[i] is Linear<T> or ReLU<T> or Sigmoid<T> or Tanh<T> or IFusedLayer<T>);
            if (xBuiltIn && builtIn) BufferPool<T>.Intermediate(x, y);
            (x, xBuiltIn) = (y, builtIn);
        }
        return x;
    }

    private bool AnyLayerHooked()
    {
        foreach (var layer in layers)
            if (layer.HasForwardHooks) return true;
        return false;
    }

    private Tensor<T> ForwardEachLayer(Tensor<T> input)
    {
        var x = input;
        foreach (var layer in layers) x = layer.Call(x);
        return x;
    }

    private static Tensor<T>? Fused(Linear<T> linear, Module<T> next, Tensor<T> x) => next switch
    {
        ReLU<T> => Tensor<T>.LinearActivation<Ops.Relu>(x, linear.Weight, linear.Bias),
        Sigmoid<T> => Tensor<T>.LinearActivation<Ops.Sigmoid>(x, linear.Weight, linear.Bias),
        Tanh<T> => Tensor<T>.LinearActivation<Ops.Tanh>(x, linear.Weight, linear.Bias),
        _ => null,
    };

    /// <summary>The layers in order, named "0", "1", … by position.</summary>
    public override IEnumerable<(string Name, Module<T> Module)> Children() =>
        layers.Select((m, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), m));

    /// <summary>Enumerates the layers in order.</summary>
    public IEnumerator<Module<T>> GetEnumerator() => layers.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
