using System.Numerics;

namespace Nabla.Tensors;

/// <summary>
/// The tangent rules of batch and layer normalisation, written with tensor ops (so a reverse pass over them gives
/// second derivatives). With x̂ = (x − μ)·s, s = 1/√(σ² + eps) and μ, σ² the mean and biased variance over the
/// normalised axes: t_x̂ = s·(t_c − x̂·mean(x̂·t_c)) with t_c = t_x − mean(t_x), and t_y = t_x̂·γ + x̂·t_γ + t_β.
/// </summary>
internal static class NormalizationTangents
{
    /// <summary>
    /// The tangent of the normalised output from the tangents of x, γ and β (each may be null: zero). With
    /// <paramref name="fixedStats"/> (batch norm in evaluation) μ and s are the constants given there; otherwise they are
    /// recomputed from x with recorded ops over <paramref name="axes"/>. γ and β are reshaped to <paramref name="paramShape"/>.
    /// </summary>
    public static Tensor<T>? Tangent<T>(Tensor<T> x, Tensor<T>? gamma, int[] axes, double eps, int[] paramShape,
        (Tensor<T> Mean, Tensor<T> InvStd)? fixedStats, Tensor<T>? tx, Tensor<T>? tGamma, Tensor<T>? tBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> xhat;
        Tensor<T>? txhat = null;
        if (fixedStats is var (mean, invStd))
        {
            xhat = (x - mean) * invStd;
            if (tx is not null) txhat = tx * invStd;
        }
        else
        {
            var xc = x - x.Mean(axes, keepDims: true);
            var s = ((xc * xc).Mean(axes, keepDims: true) + T.CreateChecked(eps)).Pow(T.CreateChecked(-0.5));
            xhat = xc * s;
            if (tx is not null)
            {
                var tc = tx - tx.Mean(axes, keepDims: true);
                txhat = s * (tc - xhat * (xhat * tc).Mean(axes, keepDims: true));
            }
        }
        var g = gamma?.Reshape(paramShape);
        return Tangents.Sum(
            txhat is null ? null : g is null ? txhat : txhat * g,
            tGamma is null ? null : xhat * tGamma.Reshape(paramShape),
            tBeta?.Reshape(paramShape));
    }
}
