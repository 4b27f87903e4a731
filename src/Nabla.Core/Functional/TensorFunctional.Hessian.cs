using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Functional;

public static partial class TensorFunctional
{
    /// <summary>
    /// The Hessian-vector product H·v of a scalar function f (one-element output) at x, where H = ∂²f/∂x², by
    /// <b>reverse-over-forward</b>: f runs once, a tangent sweep with v records ∇f(x)·v as a function of x (the tangent
    /// rules are written with recorded tensor ops), and one backward pass from it gives ∇ₓ(∇f·v) = H·v. About the cost of
    /// two or three gradients, whatever the size of x. Reverse-over-forward rather than forward-over-reverse or
    /// reverse-over-reverse because the tensor backward rules are fast span kernels that record nothing, while every op's
    /// tangent rule is already made of differentiable ops: differentiating the tangent needs no second set of rules.
    /// Leaves f closes over keep the gradients they had.
    /// </summary>
    public static Tensor<T> Hvp<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x, Tensor<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(v);
        RequireShape(v, x, "the vector v");
        var (input, y) = RunScalar(f, x, "Hvp");
        return HvpOnGraph(input, y, Tensor<T>.FromArray(v.ToArray(), [.. v.Shape]));
    }

    /// <summary>
    /// The Hessian ∂²f/∂xᵢ∂xⱼ of a scalar function f at x, with shape x.Shape ++ x.Shape: f runs once, then one
    /// Hessian-vector product (reverse-over-forward, see <see cref="Hvp"/>) per element of x gives a row each.
    /// </summary>
    public static Tensor<T> Hessian<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var (input, y) = RunScalar(f, x, "Hessian");
        int n = x.ElementCount;
        // x.Shape ++ x.Shape is one tensor: refused by name past the element limit, not an OverflowException.
        Limits.Check($"Hessian: its result [{n:N0} × {n:N0}] (x has {n:N0} elements), in elements,", Limits.Product(n, n), Limits.MaxTensorElements);
        var hessian = new T[n * n];
        var seed = new T[n];
        for (int i = 0; i < n; i++)
        {
            seed[i] = T.One;
            HvpOnGraph(input, y, Tensor<T>.FromArray(seed, [.. x.Shape])).ToArray().CopyTo(hessian, i * n);
            seed[i] = T.Zero;
        }
        return Tensor<T>.FromArray(hessian, [.. x.Shape, .. x.Shape]);
    }

    private static (Tensor<T> Input, Tensor<T> Output) RunScalar<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (input, y) = Run(f, x, what);
        if (y.ElementCount != 1)
            throw new NablaException($"{what} needs a function with a one-element output (a scalar loss), but f(x) has shape {Shapes.Format([.. y.Shape])}");
        return (input, y);
    }

    /// <summary>H·v on the recorded graph of y = f(input): the gradient of the recorded tangent ∇f·v.</summary>
    private static Tensor<T> HvpOnGraph<T>(Tensor<T> input, Tensor<T> y, Tensor<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tangent = Tangents.Propagate(y, input, v);
        if (tangent is null || !tangent.RequiresGrad) return Tensor<T>.Zeros([.. input.Shape]);  // f is affine in x along v
        return Pull(input, tangent, Tensor<T>.Ones([.. tangent.Shape]));
    }
}
