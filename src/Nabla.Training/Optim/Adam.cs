using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Adam with PyTorch's exact update (<c>torch.optim.Adam</c>, amsgrad off), per parameter p with gradient g at step t:
/// g ← g + λ·p (L2 weight decay λ, Adam only); m ← m + (1 − β₁)·(g − m); v ← β₂·v + (1 − β₂)·g²;
/// p ← p − (α / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε). m and v start at zero and are allocated on the first step.
/// </summary>
public class Adam<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]?[] expAvg, expAvgSq;

    /// <summary>Adam over <paramref name="parameters"/>; the defaults are PyTorch's.</summary>
    public Adam(IEnumerable<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0) : base(parameters, learningRate)
    {
        Beta1 = NablaArgumentException.Check(beta1, beta1 is >= 0 and < 1, "Adam", nameof(beta1), "in [0, 1)");
        Beta2 = NablaArgumentException.Check(beta2, beta2 is >= 0 and < 1, "Adam", nameof(beta2), "in [0, 1)");
        Eps = NablaArgumentException.Check(eps, eps >= 0 && double.IsFinite(eps), "Adam", nameof(eps), "finite and ≥ 0");
        WeightDecay = NablaArgumentException.Check(weightDecay, weightDecay >= 0 && double.IsFinite(weightDecay), "Adam", nameof(weightDecay), "finite and ≥ 0");
        expAvg = new T[]?[Parameters.Count];
        expAvgSq = new T[]?[Parameters.Count];
    }

    /// <summary>β₁, the decay of the first-moment average m.</summary>
    public double Beta1 { get; }
    /// <summary>β₂, the decay of the second-moment average v.</summary>
    public double Beta2 { get; }
    /// <summary>ε, added to the bias-corrected √v.</summary>
    public double Eps { get; }
    /// <summary>λ: added to the gradient as λ·p in Adam; applied to the parameter as p ← p·(1 − α·λ) in AdamW.</summary>
    public double WeightDecay { get; }

    /// <summary>True for AdamW's decoupled weight decay.</summary>
    private protected virtual bool Decoupled => false;

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> p, ReadOnlySpan<T> grad, Span<T> scratchA, Span<T> scratchB)
    {
        ReadOnlySpan<T> g = grad;
        if (WeightDecay != 0)
        {
            if (Decoupled) TensorPrimitives.Multiply(p, C(1 - LearningRate * WeightDecay), p);   // p·(1 − αλ)
            else
            {
                TensorPrimitives.MultiplyAdd(p, C(WeightDecay), grad, scratchB);                  // g + λ·p
                g = scratchB;
            }
        }
        var m = expAvg[index] ??= new T[p.Length];
        var v = expAvgSq[index] ??= new T[p.Length];
        TensorPrimitives.Subtract(g, m, scratchA);                       // g − m
        TensorPrimitives.MultiplyAdd(scratchA, C(1 - Beta1), m, m);      // m + (1 − β₁)(g − m)   (lerp)
        TensorPrimitives.Multiply(v, C(Beta2), v);                       // β₂·v
        TensorPrimitives.Multiply(g, g, scratchA);                       // g²
        TensorPrimitives.MultiplyAdd(scratchA, C(1 - Beta2), v, v);      // + (1 − β₂)·g²

        double t = StepCount;
        double stepSize = LearningRate / (1 - Math.Pow(Beta1, t));
        double bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, t));
        TensorPrimitives.Sqrt(v, scratchA);                              // √v
        TensorPrimitives.Divide(scratchA, C(bc2Sqrt), scratchA);         // / √(1 − β₂ᵗ)
        TensorPrimitives.Add(scratchA, C(Eps), scratchA);                // + ε
        TensorPrimitives.Divide(m, scratchA, scratchA);                  // m / denom
        TensorPrimitives.MultiplyAdd(scratchA, C(-stepSize), p, p);      // p − step·m/denom
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> BufferNames { get; } = ["exp_avg", "exp_avg_sq"];
    /// <inheritdoc/>
    protected override T[]? GetBuffer(int index, string name) => name == "exp_avg" ? expAvg[index] : expAvgSq[index];
    /// <inheritdoc/>
    protected override void SetBuffer(int index, string name, T[]? values)
    {
        if (name == "exp_avg") expAvg[index] = values;
        else expAvgSq[index] = values;
    }
}

/// <summary>
/// AdamW with PyTorch's exact update (<c>torch.optim.AdamW</c>): first p ← p·(1 − α·λ) (decoupled weight decay,
/// default λ = 0.01), then the Adam step of <see cref="Adam{T}"/> on the unmodified gradient.
/// </summary>
public sealed class AdamW<T>(IEnumerable<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
    double eps = 1e-8, double weightDecay = 1e-2) : Adam<T>(parameters, learningRate, beta1, beta2, eps, weightDecay)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected override bool Decoupled => true;
}
