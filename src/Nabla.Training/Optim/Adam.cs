using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Adam with PyTorch's exact update (<c>torch.optim.Adam</c>, amsgrad off), per parameter p with gradient g at step t
/// and its group's hyperparameters: g ← g + λ·p (L2 weight decay λ, Adam only); m ← m + (1 − β₁)·(g − m);
/// v ← β₂·v + (1 − β₂)·g²; p ← p − (α / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε). m and v start at zero and are
/// allocated on the first step.
/// </summary>
public class Adam<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly string[] Options = [ParamGroupSettings.WeightDecayName, ParamGroupSettings.Beta1Name, ParamGroupSettings.Beta2Name, ParamGroupSettings.EpsName];
    private readonly T[]?[] expAvg, expAvgSq;

    /// <summary>Adam over <paramref name="parameters"/>, one group; the defaults are PyTorch's.</summary>
    public Adam(IEnumerable<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0) : this(OneGroup(parameters), learningRate, beta1, beta2, eps, weightDecay) { }

    /// <summary>Adam over parameter <paramref name="groups"/>; each option a group leaves null takes the argument given here.</summary>
    public Adam(IEnumerable<ParamGroup<T>> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0) : base(groups, learningRate, s =>
        {
            s.Beta1 = NablaArgumentException.Check(beta1, beta1 is >= 0 and < 1, "Adam", nameof(beta1), "in [0, 1)");
            s.Beta2 = NablaArgumentException.Check(beta2, beta2 is >= 0 and < 1, "Adam", nameof(beta2), "in [0, 1)");
            s.Eps = NablaArgumentException.Check(eps, eps >= 0 && double.IsFinite(eps), "Adam", nameof(eps), "finite and ≥ 0");
            s.WeightDecay = NablaArgumentException.Check(weightDecay, weightDecay >= 0 && double.IsFinite(weightDecay), "Adam", nameof(weightDecay), "finite and ≥ 0");
        })
    {
        (Beta1, Beta2, Eps, WeightDecay) = (beta1, beta2, eps, weightDecay);
        expAvg = new T[]?[Parameters.Count];
        expAvgSq = new T[]?[Parameters.Count];
    }

    /// <summary>The default β₁ given to the constructor (a group may override it), the decay of the first-moment average m.</summary>
    public double Beta1 { get; }
    /// <summary>The default β₂, the decay of the second-moment average v.</summary>
    public double Beta2 { get; }
    /// <summary>The default ε, added to the bias-corrected √v.</summary>
    public double Eps { get; }
    /// <summary>The default λ: added to the gradient as λ·p in Adam; applied to the parameter as p ← p·(1 − α·λ) in AdamW.</summary>
    public double WeightDecay { get; }

    /// <summary>True for AdamW's decoupled weight decay.</summary>
    private protected virtual bool Decoupled => false;

    internal override string? CycledMomentum => ParamGroupSettings.Beta1Name;
    internal override IReadOnlyList<string> OptionNames => Options;

    /// <inheritdoc/>
    protected override void Update(int index, ParamGroupSettings group, Span<T> p, ReadOnlySpan<T> grad, Span<T> scratchA, Span<T> scratchB)
    {
        ReadOnlySpan<T> g = grad;
        double lr = group.LearningRate, weightDecay = group.WeightDecay, beta1 = group.Beta1, beta2 = group.Beta2;
        if (weightDecay != 0)
        {
            if (Decoupled) TensorPrimitives.Multiply(p, C(1 - lr * weightDecay), p);          // p·(1 − αλ)
            else
            {
                TensorPrimitives.MultiplyAdd(p, C(weightDecay), grad, scratchB);                // g + λ·p
                g = scratchB;
            }
        }
        var m = expAvg[index] ??= new T[p.Length];
        var v = expAvgSq[index] ??= new T[p.Length];
        TensorPrimitives.Subtract(g, m, scratchA);                       // g − m
        TensorPrimitives.MultiplyAdd(scratchA, C(1 - beta1), m, m);      // m + (1 − β₁)(g − m)   (lerp)
        TensorPrimitives.Multiply(v, C(beta2), v);                       // β₂·v
        TensorPrimitives.Multiply(g, g, scratchA);                       // g²
        TensorPrimitives.MultiplyAdd(scratchA, C(1 - beta2), v, v);      // + (1 − β₂)·g²

        double t = StepCount;
        double stepSize = lr / (1 - Math.Pow(beta1, t));
        double bc2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, t));
        TensorPrimitives.Sqrt(v, scratchA);                              // √v
        TensorPrimitives.Divide(scratchA, C(bc2Sqrt), scratchA);         // / √(1 − β₂ᵗ)
        TensorPrimitives.Add(scratchA, C(group.Eps), scratchA);          // + ε
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
public sealed class AdamW<T> : Adam<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>AdamW over <paramref name="parameters"/>, one group; the defaults are PyTorch's.</summary>
    public AdamW(IEnumerable<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 1e-2) : base(parameters, learningRate, beta1, beta2, eps, weightDecay) { }

    /// <summary>AdamW over parameter <paramref name="groups"/>; each option a group leaves null takes the argument given here.</summary>
    public AdamW(IEnumerable<ParamGroup<T>> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 1e-2) : base(groups, learningRate, beta1, beta2, eps, weightDecay) { }

    private protected override bool Decoupled => true;
}
