namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>erf(x) element-wise; dy/dx = 2/√π·e^(−x²) (see <see cref="Ops.Erf"/>).</summary>
    public Tensor<T> Erf() => Apply<Ops.Erf>();

    /// <summary>The exact GELU x·Φ(x) = ½x(1 + erf(x/√2)) element-wise (PyTorch's <c>gelu</c>); see <see cref="Ops.Gelu"/>.</summary>
    public Tensor<T> Gelu() => Apply<Ops.Gelu>();

    /// <summary>
    /// The tanh form of GELU, ½x(1 + tanh(√(2/π)(x + 0.044715x³))), element-wise (PyTorch's
    /// <c>gelu(approximate='tanh')</c>); see <see cref="Ops.GeluTanh"/>.
    /// </summary>
    public Tensor<T> GeluTanh() => Apply<Ops.GeluTanh>();
}
