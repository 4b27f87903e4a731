using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// Layer normalisation over the trailing <see cref="NormalizedShape"/> dimensions as PyTorch's <c>nn.LayerNorm</c>:
/// parameters <c>weight</c> (ones) and <c>bias</c> (zeros) of that shape. It behaves the same in training and eval mode.
/// </summary>
public sealed class LayerNorm<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A layer normalising the last dimensions, of sizes <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d < 1))
            throw new NablaException($"LayerNorm needs a non-empty normalized shape of positive sizes, got {Shapes.Format(normalizedShape)}");
        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        Weight = elementwiseAffine ? Tensor<T>.Ones(normalizedShape).RequireGrad() : null;
        Bias = elementwiseAffine ? Tensor<T>.Zeros(normalizedShape).RequireGrad() : null;
    }

    /// <summary>A layer normalising the last dimension, of size <paramref name="features"/>.</summary>
    public LayerNorm(int features, double eps = 1e-5, bool elementwiseAffine = true) : this([features], eps, elementwiseAffine) { }

    /// <summary>The sizes of the normalised trailing dimensions.</summary>
    public IReadOnlyList<int> NormalizedShape { get; }
    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }
    /// <summary>The scale γ, or null without affine parameters.</summary>
    public Tensor<T>? Weight { get; }
    /// <summary>The shift β, or null without affine parameters.</summary>
    public Tensor<T>? Bias { get; }

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => Tensor<T>.LayerNorm(input, [.. NormalizedShape], Weight, Bias, Eps);

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        if (Weight is not null) yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"LayerNorm({Shapes.Format([.. NormalizedShape])}, eps={ModuleNames.PythonFloat(Eps)}, elementwise_affine={(Weight is not null ? "True" : "False")})";
}
