using Nabla.Rng;

namespace Nabla.Tensors;

public sealed partial class IndexTensor
{
    /// <summary>
    /// A tensor of <paramref name="shape"/> with integers uniform on [<paramref name="low"/>, <paramref name="high"/>) from
    /// <paramref name="rng"/>: exactly NumPy's legacy <c>RandomState.randint(low, high, shape)</c> (int64, row-major; see
    /// <see cref="RandomState.RandInt(long, long, int[])"/>). low must be below high.
    /// </summary>
    public static IndexTensor RandInt(RandomState rng, int low, int high, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (low >= high) throw new NablaArgumentException(nameof(high), $"RandInt: high is {high}; it must be greater than low ({low})");
        Tensor<double>.CheckShape(shape, "RandInt");
        var drawn = rng.RandInt(low, high, shape);
        var values = new int[drawn.Length];
        for (int i = 0; i < values.Length; i++) values[i] = (int)drawn[i];
        return new IndexTensor(values, (int[])shape.Clone());
    }

    /// <summary><see cref="RandInt(RandomState, int, int, int[])"/> from the process-wide generator <see cref="RandomState.Default"/>.</summary>
    public static IndexTensor RandInt(int low, int high, params int[] shape) => RandInt(RandomState.Default, low, high, shape);
}
