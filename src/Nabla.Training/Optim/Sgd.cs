using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Stochastic gradient descent with PyTorch's exact update (<c>torch.optim.SGD</c>), per parameter p with gradient g:
/// g ← g + λ·p (weight decay λ); with momentum μ: b ← g on the first step, else b ← μ·b + (1 − τ)·g (dampening τ),
/// then g ← g + μ·b (Nesterov) or g ← b; finally p ← p − α·g.
/// </summary>
public sealed class Sgd<T>(IEnumerable<Tensor<T>> parameters, double learningRate, double momentum = 0, bool nesterov = false,
    double weightDecay = 0, double dampening = 0) : Optimizer<T>(parameters, learningRate)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]?[]? buffers;
    private T[]?[] momentumBuffers => buffers ??= new T[]?[Parameters.Count];

    /// <summary>μ ≥ 0; 0 turns momentum off.</summary>
    public double Momentum { get; } = NablaArgumentException.Check(momentum, momentum >= 0 && double.IsFinite(momentum), "Sgd", nameof(momentum), "finite and ≥ 0");

    /// <summary>Nesterov momentum (needs μ &gt; 0 and dampening 0, as in PyTorch).</summary>
    public bool Nesterov { get; } = !nesterov || (momentum > 0 && dampening == 0) ? nesterov
        : throw new NablaArgumentException(nameof(nesterov), "Sgd: nesterov momentum requires a momentum > 0 and zero dampening");

    /// <summary>λ ≥ 0, the L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; } = NablaArgumentException.Check(weightDecay, weightDecay >= 0 && double.IsFinite(weightDecay), "Sgd", nameof(weightDecay), "finite and ≥ 0");

    /// <summary>τ, the dampening of the momentum update.</summary>
    public double Dampening { get; } = NablaArgumentException.Check(dampening, double.IsFinite(dampening), "Sgd", nameof(dampening), "finite");

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> p, ReadOnlySpan<T> grad, Span<T> scratchA, Span<T> scratchB)
    {
        ReadOnlySpan<T> g = grad;
        if (WeightDecay != 0)
        {
            TensorPrimitives.MultiplyAdd(p, C(WeightDecay), grad, scratchA);      // g + λ·p
            g = scratchA;
        }
        if (Momentum != 0)
        {
            var b = momentumBuffers[index];
            if (b is null) momentumBuffers[index] = b = g.ToArray();
            else
            {
                TensorPrimitives.Multiply(b, C(Momentum), b);                     // μ·b
                TensorPrimitives.MultiplyAdd(g, C(1 - Dampening), b, b);          // + (1 − τ)·g
            }
            if (Nesterov)
            {
                TensorPrimitives.MultiplyAdd(b, C(Momentum), g, scratchB);        // g + μ·b
                g = scratchB;
            }
            else g = b;
        }
        TensorPrimitives.MultiplyAdd(g, C(-LearningRate), p, p);                  // p − α·g
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> BufferNames { get; } = ["momentum_buffer"];
    /// <inheritdoc/>
    protected override T[]? GetBuffer(int index, string name) => momentumBuffers[index];
    /// <inheritdoc/>
    protected override void SetBuffer(int index, string name, T[]? values) => momentumBuffers[index] = values;
}
