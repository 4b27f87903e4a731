using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// Dropout as PyTorch's <c>nn.Dropout</c>: in training mode each element is zeroed with probability <see cref="P"/> and
/// the others scaled by 1/(1 − p) (<see cref="Tensor{T}.Dropout"/>); in eval mode the input passes through. Masks are
/// drawn from <paramref name="rng"/>, the run's seeded generator, so a seeded run repeats exactly.
/// </summary>
public sealed class Dropout<T>(double p, RandomState rng) : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RandomState _rng = rng ?? throw new ArgumentNullException(nameof(rng));

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; } = p >= 0 && p <= 1 ? p : throw new NablaException($"dropout probability must be in [0, 1], got {p}");

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => input.Dropout(P, _rng, IsTraining);

    /// <inheritdoc/>
    public override string ToString() => $"Dropout(p={ModuleNames.PythonFloat(P)}, inplace=False)";
}
