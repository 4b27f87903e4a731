using System.Numerics;
using Nabla.Rng;

namespace Nabla.Nn;

/// <summary>Builds multi-layer perceptrons.</summary>
public static class Mlp
{
    /// <summary>
    /// A <see cref="Sequential{T}"/> of <see cref="Linear{T}"/> layers sizes[0]→sizes[1]→…→sizes[^1], with the
    /// <paramref name="activation"/> (see <see cref="Activation.Create{T}"/>) after every layer but the last, which
    /// stays linear: sizes [784, 512, 256, 10] give Linear, act, Linear, act, Linear, so the parameters are named
    /// 0.weight, 0.bias, 2.weight, 2.bias, 4.weight, 4.bias exactly as the same nn.Sequential in PyTorch.
    /// Layers are initialised in order, each weight then its bias, from <paramref name="rng"/> with
    /// <paramref name="init"/> (default: PyTorch's Linear default, U(±1/√fan_in)); <paramref name="rng"/> null means a
    /// fresh <c>new RandomState(0)</c>.
    /// </summary>
    public static Sequential<T> Create<T>(int[] sizes, string activation = "relu", RandomState? rng = null,
        InitScheme init = InitScheme.PyTorchDefault, bool bias = true) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length < 2) throw new NablaException($"an MLP needs at least two layer sizes (input and output), got [{string.Join(", ", sizes)}]");
        if (sizes.Any(s => s <= 0)) throw new NablaException($"MLP layer sizes must be positive, got [{string.Join(", ", sizes)}]");
        Activation.Create<T>(activation);   // fail on an unknown name before drawing anything
        rng ??= new RandomState(0);
        var net = new Sequential<T>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            net.Add(new Linear<T>(sizes[i], sizes[i + 1], rng, init, bias));
            if (i + 2 < sizes.Length) net.Add(Activation.Create<T>(activation));
        }
        return net;
    }
}
