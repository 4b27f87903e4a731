using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Functional;

/// <summary>
/// Function transforms on the tensor engine, in the style of <c>torch.autograd.functional</c>: <see cref="Vjp"/>
/// returns a function's value and its pullback u ↦ uᵀ·J, and <see cref="Jacobian"/> builds the whole Jacobian from
/// one pullback per output element (reverse mode). The function is run once on a fresh leaf copy of x; x itself is
/// never marked or modified.
/// <para>
/// Not here yet: tensor forward mode (Jvp, and so a Jacobian that picks forward mode for tall shapes) and tensor
/// Hessians; they need a tangent rule per tensor op. Forward mode, Hessians and Hessian-vector products exist on the
/// scalar engine (<see cref="Scalars.ForwardMode"/>, <see cref="Scalars.Value.Hessian"/>, <see cref="Scalars.Value.Hvp"/>).
/// </para>
/// </summary>
public static class TensorFunctional
{
    /// <summary>
    /// f(x) and its pullback: given u shaped like f(x), the pullback returns uᵀ·J = Σᵢ uᵢ·∂fᵢ/∂x, shaped like x.
    /// The pullback may be called any number of times (the graph is kept for it).
    /// </summary>
    public static (Tensor<T> Value, Func<Tensor<T>, Tensor<T>> Pullback) Vjp<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Tensor<T>.FromArray(x.ToArray(), [.. x.Shape]).RequireGrad();
        var y = f(input);
        var shape = y.Shape.ToArray();
        Tensor<T> Pullback(Tensor<T> u)
        {
            if (!u.Shape.SequenceEqual(shape))
                throw new NablaException($"the pullback takes a tensor shaped like f(x), {Shapes.Format(shape)}, not {Shapes.Format(u.Shape.ToArray())}");
            if (!y.RequiresGrad) return Tensor<T>.Zeros([.. x.Shape]); // f(x) does not depend on x
            input.ZeroGrad();
            y.Backward(u, retainGraph: true);
            var g = input.Grad;
            return g is null ? Tensor<T>.Zeros([.. x.Shape]) : Tensor<T>.FromArray(g.ToArray(), [.. x.Shape]);
        }
        return (y.Detach(), Pullback);
    }

    /// <summary>
    /// The Jacobian ∂f(x)/∂x with shape f(x).Shape ++ x.Shape, by reverse mode: one pullback per element of f(x).
    /// </summary>
    public static Tensor<T> Jacobian<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (value, pullback) = Vjp(f, x);
        int outputs = value.ElementCount, inputs = x.ElementCount;
        var jacobian = new T[checked(outputs * inputs)];
        var seed = new T[outputs];
        for (int i = 0; i < outputs; i++)
        {
            seed[i] = T.One;
            pullback(Tensor<T>.FromArray(seed, [.. value.Shape])).ToArray().CopyTo(jacobian, i * inputs);
            seed[i] = T.Zero;
        }
        return Tensor<T>.FromArray(jacobian, [.. value.Shape, .. x.Shape]);
    }
}
