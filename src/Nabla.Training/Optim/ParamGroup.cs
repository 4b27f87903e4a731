using System.Globalization;
using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Parameters that share hyperparameters, as given to an optimizer (PyTorch's <c>param_groups</c> entry). Every
/// option left null takes the optimizer's constructor argument, e.g.
/// <c>new AdamW&lt;float&gt;([new ParamGroup&lt;float&gt;(decay) { WeightDecay = 0.1 }, new ParamGroup&lt;float&gt;(noDecay) { WeightDecay = 0 }], learningRate: 6e-4)</c>.
/// An option the optimizer does not use (a β₁ given to SGD) is refused when the optimizer is built.
/// </summary>
public sealed class ParamGroup<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A group of <paramref name="parameters"/> (copied as a list now, so a lazy sequence is read once).</summary>
    public ParamGroup(IEnumerable<Tensor<T>> parameters) =>
        Parameters = [.. parameters ?? throw new NablaArgumentException(nameof(parameters), "ParamGroup: parameters is null")];

    /// <summary>The tensors of the group, in order.</summary>
    public IReadOnlyList<Tensor<T>> Parameters { get; }

    /// <summary>The step size α of this group, or null for the optimizer's.</summary>
    public double? LearningRate { get; init; }
    /// <summary>The weight decay λ of this group, or null for the optimizer's.</summary>
    public double? WeightDecay { get; init; }
    /// <summary>SGD's momentum μ of this group, or null for the optimizer's.</summary>
    public double? Momentum { get; init; }
    /// <summary>SGD's dampening τ of this group, or null for the optimizer's.</summary>
    public double? Dampening { get; init; }
    /// <summary>SGD's Nesterov switch for this group, or null for the optimizer's.</summary>
    public bool? Nesterov { get; init; }
    /// <summary>Adam's β₁ of this group, or null for the optimizer's.</summary>
    public double? Beta1 { get; init; }
    /// <summary>Adam's β₂ of this group, or null for the optimizer's.</summary>
    public double? Beta2 { get; init; }
    /// <summary>Adam's ε of this group, or null for the optimizer's.</summary>
    public double? Eps { get; init; }

    internal IEnumerable<(string Name, double Value)> Overrides()
    {
        if (LearningRate is { } lr) yield return (ParamGroupSettings.Lr, lr);
        if (WeightDecay is { } wd) yield return (ParamGroupSettings.WeightDecayName, wd);
        if (Momentum is { } m) yield return (ParamGroupSettings.MomentumName, m);
        if (Dampening is { } d) yield return (ParamGroupSettings.DampeningName, d);
        if (Nesterov is { } n) yield return (ParamGroupSettings.NesterovName, n ? 1 : 0);
        if (Beta1 is { } b1) yield return (ParamGroupSettings.Beta1Name, b1);
        if (Beta2 is { } b2) yield return (ParamGroupSettings.Beta2Name, b2);
        if (Eps is { } e) yield return (ParamGroupSettings.EpsName, e);
    }
}

/// <summary>
/// The live hyperparameters of one parameter group of an optimizer (<see cref="Optimizer.ParamGroups"/>): the
/// optimizer reads them at every step, and a scheduler writes the learning rate (and OneCycleLR the momentum or β₁)
/// between steps. Each setter checks its value, so a bad number fails where it is set, naming the group. Only the
/// options the optimizer uses are meaningful: momentum, dampening and Nesterov for SGD; β₁, β₂ and ε for Adam/AdamW.
/// </summary>
public sealed class ParamGroupSettings
{
    internal const string Lr = "lr", InitialLr = "initial_lr", WeightDecayName = "weight_decay", MomentumName = "momentum",
        DampeningName = "dampening", NesterovName = "nesterov", Beta1Name = "beta1", Beta2Name = "beta2", EpsName = "eps";

    private readonly string owner;

    internal ParamGroupSettings(string owner, int index, int firstParameter, int count)
    {
        this.owner = owner;
        Index = index;
        FirstParameter = firstParameter;
        Count = count;
    }

    /// <summary>The group's position in <see cref="Optimizer.ParamGroups"/>.</summary>
    public int Index { get; }
    /// <summary>The flat index (over all groups, in order) of the group's first parameter; state buffers are named by flat index.</summary>
    public int FirstParameter { get; }
    /// <summary>How many parameters the group holds.</summary>
    public int Count { get; }

    /// <summary>The step size α; finite and ≥ 0.</summary>
    public double LearningRate { get; set => field = Checked(Lr, value, value >= 0 && double.IsFinite(value), "finite and ≥ 0"); }

    /// <summary>
    /// The learning rate the group had when the first scheduler was attached (PyTorch's <c>initial_lr</c>): the base
    /// that every later scheduler on the optimizer scales. Null until a scheduler sets it.
    /// </summary>
    public double? InitialLearningRate { get; set => field = value is not { } v ? null : Checked(InitialLr, v, v >= 0 && double.IsFinite(v), "finite and ≥ 0"); }

    /// <summary>The weight decay λ; finite and ≥ 0.</summary>
    public double WeightDecay { get; set => field = Checked(WeightDecayName, value, value >= 0 && double.IsFinite(value), "finite and ≥ 0"); }
    /// <summary>SGD's momentum μ; finite and ≥ 0 (0: no momentum).</summary>
    public double Momentum { get; set => field = Checked(MomentumName, value, value >= 0 && double.IsFinite(value), "finite and ≥ 0"); }
    /// <summary>SGD's dampening τ; finite.</summary>
    public double Dampening { get; set => field = Checked(DampeningName, value, double.IsFinite(value), "finite"); }
    /// <summary>SGD's Nesterov momentum (checked against momentum and dampening when the optimizer is built).</summary>
    public bool Nesterov { get; set; }
    /// <summary>Adam's β₁, the decay of the first-moment average; in [0, 1).</summary>
    public double Beta1 { get; set => field = Checked(Beta1Name, value, value is >= 0 and < 1, "in [0, 1)"); }
    /// <summary>Adam's β₂, the decay of the second-moment average; in [0, 1).</summary>
    public double Beta2 { get; set => field = Checked(Beta2Name, value, value is >= 0 and < 1, "in [0, 1)"); }
    /// <summary>Adam's ε, added to the bias-corrected √v; finite and ≥ 0.</summary>
    public double Eps { get; set => field = Checked(EpsName, value, value >= 0 && double.IsFinite(value), "finite and ≥ 0"); }

    private double Checked(string name, double value, bool valid, string requirement) => valid ? value
        : throw new NablaArgumentException(name, $"{owner}: {name} of parameter group {Index} is {value.ToString("R", CultureInfo.InvariantCulture)}; it must be {requirement}");

    internal double Get(string name) => name switch
    {
        Lr => LearningRate,
        WeightDecayName => WeightDecay,
        MomentumName => Momentum,
        DampeningName => Dampening,
        NesterovName => Nesterov ? 1 : 0,
        Beta1Name => Beta1,
        Beta2Name => Beta2,
        EpsName => Eps,
        _ => throw new InvalidOperationException($"no option {name}"),
    };

    internal void Set(string name, double value)
    {
        switch (name)
        {
            case Lr: LearningRate = value; break;
            case InitialLr: InitialLearningRate = value; break;
            case WeightDecayName: WeightDecay = value; break;
            case MomentumName: Momentum = value; break;
            case DampeningName: Dampening = value; break;
            case NesterovName:
                Nesterov = value is 0 or 1 ? value == 1 : throw new NablaArgumentException(NesterovName, $"{owner}: nesterov of parameter group {Index} is {value.ToString("R", CultureInfo.InvariantCulture)}; it must be 0 or 1");
                break;
            case Beta1Name: Beta1 = value; break;
            case Beta2Name: Beta2 = value; break;
            case EpsName: Eps = value; break;
            default: throw new InvalidOperationException($"no option {name}");
        }
    }
}
