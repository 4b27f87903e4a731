using System.Globalization;
using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Gradient clipping, PyTorch's <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>: both work in
/// place on the gradients of the given parameters, skip parameters without a gradient, and allocate nothing.
/// </summary>
public static class GradClip
{
    /// <summary>
    /// Scales every gradient by c = min(1, <paramref name="maxNorm"/> / (N + 1e−6)), where N is the
    /// <paramref name="normType"/>-norm of all the gradients taken together as one vector:
    /// N = (Σᵢ |gᵢ|ᵖ)^(1/p) for finite p ≥ 1, computed as PyTorch does as the p-norm of the per-parameter p-norms
    /// (those in the gradients' type for p = 1 and 2, the rest in double), and N = maxᵢ |gᵢ| for p = ∞. Gradients
    /// are only ever scaled down: c is clamped at 1, and no gradient is touched when c = 1. Returns N (0 when no
    /// parameter has a gradient).
    /// </summary>
    /// <param name="parameters">The parameters whose gradients to clip (those without a gradient are skipped).</param>
    /// <param name="maxNorm">The largest norm allowed; finite and &gt; 0.</param>
    /// <param name="normType">p: a finite number ≥ 1, or <see cref="double.PositiveInfinity"/>.</param>
    /// <param name="errorIfNonfinite">Throw a <see cref="NablaException"/> naming N when it is NaN or infinite, leaving
    /// the gradients as they are; when false, such an N scales them as PyTorch does (by 0 for ∞, by NaN for NaN).</param>
    public static double ClipGradNorm<T>(IEnumerable<Tensor<T>> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (parameters is null) throw new NablaArgumentException(nameof(parameters), "ClipGradNorm: parameters is null");
        if (!(maxNorm > 0 && double.IsFinite(maxNorm)))
            throw new NablaArgumentException(nameof(maxNorm), $"ClipGradNorm: maxNorm is {Text(maxNorm)}; it must be finite and > 0");
        if (!(normType >= 1))
            throw new NablaArgumentException(nameof(normType), $"ClipGradNorm: normType is {Text(normType)}; it must be ≥ 1 (or infinity)");
        bool infinity = double.IsPositiveInfinity(normType);
        double total = 0;
        bool any = false;
        foreach (var p in parameters)
        {
            if (p?.Grad is not { } g) continue;
            any = true;
            double norm = Norm(Values(g), normType);
            total = infinity ? (double.IsNaN(norm) || double.IsNaN(total) ? double.NaN : Math.Max(total, norm))
                : normType == 2 ? total + norm * norm
                : normType == 1 ? total + norm
                : total + Math.Pow(norm, normType);
        }
        if (!any) return 0;
        if (!infinity) total = normType == 2 ? Math.Sqrt(total) : normType == 1 ? total : Math.Pow(total, 1 / normType);
        if (!double.IsFinite(total) && errorIfNonfinite)
            throw new NablaException($"ClipGradNorm: the total {Text(normType)}-norm of the gradients is {Text(total)}, so they cannot be clipped; " +
                "a gradient holds NaN or infinity (pass errorIfNonfinite: false to scale anyway)");
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1 || double.IsNaN(coefficient))
            foreach (var p in parameters)
                if (p?.Grad is { } g) Scale(g, T.CreateTruncating(coefficient));
        return total;
    }

    /// <summary>
    /// Clamps every gradient element into [−<paramref name="clipValue"/>, <paramref name="clipValue"/>] in place
    /// (NaN stays NaN), PyTorch's <c>clip_grad_value_</c>.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients to clamp (those without a gradient are skipped).</param>
    /// <param name="clipValue">The largest magnitude allowed; finite and ≥ 0.</param>
    public static void ClipGradValue<T>(IEnumerable<Tensor<T>> parameters, double clipValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (parameters is null) throw new NablaArgumentException(nameof(parameters), "ClipGradValue: parameters is null");
        if (!(clipValue >= 0 && double.IsFinite(clipValue)))
            throw new NablaArgumentException(nameof(clipValue), $"ClipGradValue: clipValue is {Text(clipValue)}; it must be finite and ≥ 0");
        T high = T.CreateTruncating(clipValue), low = -high;
        foreach (var p in parameters)
        {
            if (p?.Grad is not { } g) continue;
            var span = Writable(g);
            TensorPrimitives.Max(span, low, span);   // NaN propagates through both
            TensorPrimitives.Min(span, high, span);
        }
    }

    // The p-norm of one gradient: in T with the vectorised kernels for p = 1, 2, ∞ (as PyTorch computes in the
    // gradient's type), in double for any other p. NaN propagates.
    private static double Norm<T>(ReadOnlySpan<T> values, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty) return 0;
        if (p == 2) return double.CreateTruncating(TensorPrimitives.Norm(values));
        if (p == 1) return double.CreateTruncating(TensorPrimitives.SumOfMagnitudes(values));
        if (double.IsPositiveInfinity(p)) return Math.Abs(double.CreateTruncating(TensorPrimitives.MaxMagnitude(values)));
        double s = 0;
        foreach (var v in values) s += Math.Pow(Math.Abs(double.CreateTruncating(v)), p);
        return Math.Pow(s, 1 / p);
    }

    private static ReadOnlySpan<T> Values<T>(Tensor<T> g) where T : unmanaged, IFloatingPointIeee754<T> =>
        g.IsContiguous ? g.AsReadOnlySpan() : g.ToArray();

    private static Span<T> Writable<T>(Tensor<T> g) where T : unmanaged, IFloatingPointIeee754<T> =>
        g.IsContiguous ? g.AsSpan() : throw new NablaException($"cannot clip a non-contiguous gradient of shape ({string.Join(", ", g.Shape)}) in place");

    private static void Scale<T>(Tensor<T> g, T c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var span = Writable(g);
        TensorPrimitives.Multiply(span, c, span);
    }

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
