using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Stochastic gradient descent with PyTorch's exact update (<c>torch.optim.SGD</c>), per parameter p with gradient g
/// and its group's hyperparameters: g ← g + λ·p (weight decay λ); with momentum μ: b ← g on the first step, else
/// b ← μ·b + (1 − τ)·g (dampening τ), then g ← g + μ·b (Nesterov) or g ← b; finally p ← p − α·g.
/// </summary>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly string[] Options = [ParamGroupSettings.WeightDecayName, ParamGroupSettings.MomentumName, ParamGroupSettings.DampeningName, ParamGroupSettings.NesterovName];
    private readonly T[]?[] momentumBuffers;

    /// <summary>SGD over <paramref name="parameters"/>, one group with these hyperparameters.</summary>
    public Sgd(IEnumerable<Tensor<T>> parameters, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0, double dampening = 0)
        : this(OneGroup(parameters), learningRate, momentum, nesterov, weightDecay, dampening) { }

    /// <summary>
    /// SGD over parameter <paramref name="groups"/>; each option a group leaves null takes the argument given here.
    /// Nesterov momentum needs μ &gt; 0 and zero dampening in every group that turns it on, as in PyTorch.
    /// </summary>
    public Sgd(IEnumerable<ParamGroup<T>> groups, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0, double dampening = 0)
        : base(groups, learningRate, s =>
        {
            s.Momentum = NablaArgumentException.Check(momentum, momentum >= 0 && double.IsFinite(momentum), "Sgd", nameof(momentum), "finite and ≥ 0");
            s.WeightDecay = NablaArgumentException.Check(weightDecay, weightDecay >= 0 && double.IsFinite(weightDecay), "Sgd", nameof(weightDecay), "finite and ≥ 0");
            s.Dampening = NablaArgumentException.Check(dampening, double.IsFinite(dampening), "Sgd", nameof(dampening), "finite");
            s.Nesterov = nesterov;
        })
    {
        foreach (var g in ParamGroups)
            if (g.Nesterov && !(g.Momentum > 0 && g.Dampening == 0))
                throw new NablaArgumentException(nameof(nesterov), $"Sgd: nesterov momentum requires a momentum > 0 and zero dampening (parameter group {g.Index} has momentum {g.Momentum}, dampening {g.Dampening})");
        momentumBuffers = new T[]?[Parameters.Count];
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        Dampening = dampening;
    }

    /// <summary>The default μ ≥ 0 given to the constructor (a group may override it; 0 turns momentum off).</summary>
    public double Momentum { get; }
    /// <summary>The default Nesterov switch given to the constructor.</summary>
    public bool Nesterov { get; }
    /// <summary>The default λ ≥ 0, the L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }
    /// <summary>The default dampening τ of the momentum update.</summary>
    public double Dampening { get; }

    internal override string? CycledMomentum => ParamGroupSettings.MomentumName;
    internal override IReadOnlyList<string> OptionNames => Options;

    /// <inheritdoc/>
    protected override void Update(int index, ParamGroupSettings group, Span<T> p, ReadOnlySpan<T> grad, Span<T> scratchA, Span<T> scratchB)
    {
        ReadOnlySpan<T> g = grad;
        double weightDecay = group.WeightDecay, momentum = group.Momentum;
        if (weightDecay != 0)
        {
            TensorPrimitives.MultiplyAdd(p, C(weightDecay), grad, scratchA);      // g + λ·p
            g = scratchA;
        }
        if (momentum != 0)
        {
            var b = momentumBuffers[index];
            if (b is null) momentumBuffers[index] = b = g.ToArray();
            else
            {
                TensorPrimitives.Multiply(b, C(momentum), b);                     // μ·b
                TensorPrimitives.MultiplyAdd(g, C(1 - group.Dampening), b, b);    // + (1 − τ)·g
            }
            if (group.Nesterov)
            {
                TensorPrimitives.MultiplyAdd(b, C(momentum), g, scratchB);        // g + μ·b
                g = scratchB;
            }
            else g = b;
        }
        TensorPrimitives.MultiplyAdd(g, C(-group.LearningRate), p, p);            // p − α·g
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> BufferNames { get; } = ["momentum_buffer"];
    /// <inheritdoc/>
    protected override T[]? GetBuffer(int index, string name) => momentumBuffers[index];
    /// <inheritdoc/>
    protected override void SetBuffer(int index, string name, T[]? values) => momentumBuffers[index] = values;
}
