using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Rng;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// A tensor of <paramref name="shape"/> filled with standard normal samples from <paramref name="rng"/>: exactly NumPy's
    /// legacy <c>RandomState.standard_normal(shape)</c> (row-major, computed in double, then rounded to <typeparamref name="T"/>).
    /// </summary>
    public static Tensor<T> Randn(RandomState rng, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckShape(shape, "Randn");
        return FromDoubles(rng.StandardNormal(shape), shape);
    }

    /// <summary>
    /// <see cref="Randn(RandomState, int[])"/> from the process-wide generator <see cref="RandomState.Default"/> (seeded by
    /// <c>RandomState.Default.Seed(n)</c>, as <c>torch.manual_seed</c>).
    /// </summary>
    public static Tensor<T> Randn(params int[] shape) => Randn(RandomState.Default, shape);

    /// <summary>
    /// A tensor of <paramref name="shape"/> filled with samples uniform on [0, 1) from <paramref name="rng"/>: exactly NumPy's
    /// legacy <c>RandomState.random_sample(shape)</c> (53-bit doubles, row-major, then rounded to <typeparamref name="T"/>;
    /// in float32 a value just below 1 may round to 1).
    /// </summary>
    public static Tensor<T> Rand(RandomState rng, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckShape(shape, "Rand");
        return FromDoubles(rng.RandomSample(shape), shape);
    }

    /// <summary><see cref="Rand(RandomState, int[])"/> from the process-wide generator <see cref="RandomState.Default"/>.</summary>
    public static Tensor<T> Rand(params int[] shape) => Rand(RandomState.Default, shape);

    /// <summary>
    /// A tensor of <paramref name="shape"/> with values low + (high − low)·u, u uniform on [0, 1) from <paramref name="rng"/>:
    /// exactly NumPy's legacy <c>RandomState.uniform(low, high, shape)</c>, computed in double, then rounded to <typeparamref name="T"/>.
    /// high − low must be finite (high may be below low, as in NumPy).
    /// </summary>
    public static Tensor<T> Uniform(RandomState rng, double low, double high, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckShape(shape, "Uniform");
        if (!double.IsFinite(high - low))
            throw new NablaArgumentException(nameof(high), $"Uniform: high − low is {high - low} (low {low}, high {high}); it must be finite");
        return FromDoubles(rng.Uniform(low, high, shape), shape);
    }

    /// <summary><see cref="Uniform(RandomState, double, double, int[])"/> from the process-wide generator <see cref="RandomState.Default"/>.</summary>
    public static Tensor<T> Uniform(double low, double high, params int[] shape) => Uniform(RandomState.Default, low, high, shape);

    /// <summary>Refuses a null or negative shape, or one too large for a tensor, before anything is drawn or allocated.</summary>
    internal static void CheckShape(int[] shape, string op)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
            if (d < 0) throw new NablaArgumentException(nameof(shape), $"{op}: shape {Shapes.Format(shape)} has the negative dimension {d}");
        Shapes.ElementCount(shape);
    }

    private static Tensor<T> FromDoubles(double[] values, int[] shape)
    {
        if (typeof(T) == typeof(double)) return new Tensor<T>((T[])(object)values, shape);
        var data = GC.AllocateUninitializedArray<T>(values.Length);
        TensorPrimitives.ConvertTruncating<double, T>(values, data);
        return new Tensor<T>(data, shape);
    }
}
