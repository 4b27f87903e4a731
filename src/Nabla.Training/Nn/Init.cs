using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>How <see cref="Init.Apply{T}"/> initialises a <see cref="Linear{T}"/> layer's weight and bias.</summary>
public enum InitScheme
{
    /// <summary>PyTorch's <c>nn.Linear</c> default: weight and bias ~ U(−1/√fan_in, 1/√fan_in).</summary>
    PyTorchDefault,
    /// <summary>Weight and bias ~ N(0, 1) (the notebooks' <c>np.random.normal</c>).</summary>
    Normal,
    /// <summary>Weight and bias = 2·random − 1, uniform in [−1, 1) (notebook 003's).</summary>
    UniformSymmetric,
    /// <summary>Weight ~ U(±√(6/(fan_in + fan_out))) (Glorot); bias zeros.</summary>
    XavierUniform,
    /// <summary>Weight ~ N(0, 2/(fan_in + fan_out)) (Glorot); bias zeros.</summary>
    XavierNormal,
    /// <summary>Weight ~ U(±√(6/fan_in)) (He, for ReLU); bias zeros.</summary>
    KaimingUniform,
    /// <summary>Weight ~ N(0, 2/fan_in) (He, for ReLU); bias zeros.</summary>
    KaimingNormal,
    /// <summary>Weight and bias zeros (no draws).</summary>
    Zeros,
}

/// <summary>
/// Parameter initialisers driven by NumPy's legacy generator, so a seed reproduces NumPy's numbers. Every initialiser
/// overwrites the tensor in place (not recorded) drawing exactly one value per element, in row-major order, with the
/// <see cref="RandomState"/> call named in its summary. For a weight of shape [out, in], fan_in = in and fan_out = out.
/// Layers built without a generator (<c>new Linear&lt;float&gt;(4, 8)</c>) draw from <see cref="RandomState.Default"/>;
/// <c>RandomState.Default.Seed(n)</c> is the counterpart of <c>torch.manual_seed(n)</c>: it makes every later default
/// initialisation repeat (the same distributions as PyTorch's defaults, drawn by NumPy's generator, so not PyTorch's numbers).
/// </summary>
public static class Init
{
    /// <summary>x[i] = rng.Normal(mean, std) (NumPy's <c>normal(mean, std, size)</c>; Box–Muller polar pairs).</summary>
    public static void Normal<T>(Tensor<T> x, RandomState rng, double mean = 0, double std = 1) where T : unmanaged, IFloatingPointIeee754<T> =>
        Fill(x, rng.Normal(mean, std, x.ElementCount));

    /// <summary>x[i] = rng.Uniform(low, high) = low + (high − low)·random_sample() (NumPy's <c>uniform</c>).</summary>
    public static void Uniform<T>(Tensor<T> x, RandomState rng, double low, double high) where T : unmanaged, IFloatingPointIeee754<T> =>
        Fill(x, rng.Uniform(low, high, x.ElementCount));

    /// <summary>x[i] = 2·rng.RandomSample() − 1, uniform in [−1, 1), notebook 003's <c>2*np.random.random(shape) - 1</c>.</summary>
    public static void UniformSymmetric<T>(Tensor<T> x, RandomState rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = rng.RandomSample(x.ElementCount);
        for (int i = 0; i < r.Length; i++) r[i] = 2 * r[i] - 1;
        Fill(x, r);
    }

    /// <summary>Glorot uniform: rng.Uniform(−a, a) with a = gain·√(6/(fan_in + fan_out)).</summary>
    public static void XavierUniform<T>(Tensor<T> w, RandomState rng, double gain = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (fanIn, fanOut) = Fans(w);
        double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(w, rng, -a, a);
    }

    /// <summary>Glorot normal: rng.Normal(0, σ) with σ = gain·√(2/(fan_in + fan_out)).</summary>
    public static void XavierNormal<T>(Tensor<T> w, RandomState rng, double gain = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (fanIn, fanOut) = Fans(w);
        Normal(w, rng, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
    }

    /// <summary>He uniform: rng.Uniform(−a, a) with a = gain·√(3/fan_in); the default gain √2 (ReLU) gives √(6/fan_in).</summary>
    public static void KaimingUniform<T>(Tensor<T> w, RandomState rng, double gain = 1.4142135623730951) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = gain * Math.Sqrt(3.0 / Fans(w).FanIn);
        Uniform(w, rng, -a, a);
    }

    /// <summary>He normal: rng.Normal(0, σ) with σ = gain/√fan_in; the default gain √2 (ReLU) gives √(2/fan_in).</summary>
    public static void KaimingNormal<T>(Tensor<T> w, RandomState rng, double gain = 1.4142135623730951) where T : unmanaged, IFloatingPointIeee754<T> =>
        Normal(w, rng, 0, gain / Math.Sqrt(Fans(w).FanIn));

    /// <summary>Sets every element to 0 (no draws).</summary>
    public static void Zeros<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => x.Fill(T.Zero);

    /// <summary>
    /// Initialises <paramref name="layer"/> by <paramref name="scheme"/>: the weight first (all its draws), then the bias
    /// (PyTorchDefault: U(±1/√in); Normal: N(0, 1); UniformSymmetric: 2·random − 1; the Xavier and Kaiming schemes and
    /// Zeros: zeros, no draws).
    /// </summary>
    public static void Apply<T>(Linear<T> layer, InitScheme scheme, RandomState rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Limits.Defined(scheme, nameof(scheme));
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(rng);
        var (w, b) = (layer.Weight, layer.Bias);
        double bound = layer.InFeatures > 0 ? 1 / Math.Sqrt(layer.InFeatures) : 0;
        switch (scheme)
        {
            case InitScheme.PyTorchDefault: Uniform(w, rng, -bound, bound); if (b is not null) Uniform(b, rng, -bound, bound); return;
            case InitScheme.Normal: Normal(w, rng); if (b is not null) Normal(b, rng); return;
            case InitScheme.UniformSymmetric: UniformSymmetric(w, rng); if (b is not null) UniformSymmetric(b, rng); return;
            case InitScheme.XavierUniform: XavierUniform(w, rng); break;
            case InitScheme.XavierNormal: XavierNormal(w, rng); break;
            case InitScheme.KaimingUniform: KaimingUniform(w, rng); break;
            case InitScheme.KaimingNormal: KaimingNormal(w, rng); break;
            case InitScheme.Zeros: Zeros(w); break;
            default: throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown init scheme");
        }
        if (b is not null) Zeros(b);
    }

    /// <summary>(fan_in, fan_out) of a weight [out, in, k…]: in·Πk and out·Πk (PyTorch's rule); needs rank ≥ 2.</summary>
    public static (int FanIn, int FanOut) Fans<T>(Tensor<T> w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (w.Rank < 2)
            throw new NablaException($"fan in and fan out need a weight of at least 2 dimensions, got shape ({string.Join(", ", w.Shape)})");
        int receptive = 1;
        for (int d = 2; d < w.Rank; d++) receptive *= w.Shape[d];
        return (w.Shape[1] * receptive, w.Shape[0] * receptive);
    }

    private static void Fill<T>(Tensor<T> x, double[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var span = x.AsSpan();
        for (int i = 0; i < values.Length; i++) span[i] = T.CreateTruncating(values[i]);
    }
}
