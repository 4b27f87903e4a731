using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Functional;

/// <summary>How <see cref="TensorFunctional.Jacobian"/> builds the Jacobian.</summary>
public enum JacobianMode
{
    /// <summary>Forward mode when x has fewer elements than f(x), else reverse mode: the fewer passes.</summary>
    Auto,
    /// <summary>One tangent sweep per element of x (a column of J each).</summary>
    Forward,
    /// <summary>One backward pass per element of f(x) (a row of J each).</summary>
    Reverse,
}

public static partial class TensorFunctional
{
    /// <summary>
    /// The Jacobian ∂f(x)/∂x with shape f(x).Shape ++ x.Shape. f runs once; then, by <paramref name="mode"/>, one
    /// tangent sweep per input element (forward mode, a column each) or one backward pass per output element (reverse
    /// mode, a row each). <see cref="JacobianMode.Auto"/> takes the one with fewer passes: forward for "tall"
    /// functions (few inputs, many outputs), reverse for "wide" ones.
    /// </summary>
    /// <exception cref="NablaArgumentException"><paramref name="mode"/> is not a <see cref="JacobianMode"/> value.</exception>
    public static Tensor<T> Jacobian<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x, JacobianMode mode = JacobianMode.Auto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        Limits.Defined(mode, nameof(mode));
        var (input, y) = Run(f, x, "Jacobian");
        int outputs = y.ElementCount, inputs = x.ElementCount;
        // Refused by name rather than overflowing (an OverflowException) or wrapping: f(x).Shape ++ x.Shape is one tensor.
        Limits.Check($"Jacobian: its result [{outputs:N0} × {inputs:N0}] (f(x) by x), in elements,", Limits.Product(outputs, inputs), Limits.MaxTensorElements);
        var jacobian = new T[outputs * inputs];
        if (mode == JacobianMode.Forward || (mode == JacobianMode.Auto && inputs < outputs))
        {
            var seed = new T[inputs];
            using var scope = NoGrad.Scope();
            for (int j = 0; j < inputs; j++)
            {
                seed[j] = T.One;
                var column = Tangents.Propagate(y, input, Tensor<T>.FromArray(seed, [.. x.Shape]));
                seed[j] = T.Zero;
                if (column is null) continue;
                var c = column.ToArray();
                for (int i = 0; i < outputs; i++) jacobian[i * inputs + j] = c[i];
            }
        }
        else
        {
            var seed = new T[outputs];
            for (int i = 0; i < outputs; i++)
            {
                seed[i] = T.One;
                Pull(input, y, Tensor<T>.FromArray(seed, [.. y.Shape])).ToArray().CopyTo(jacobian, i * inputs);
                seed[i] = T.Zero;
            }
        }
        return Tensor<T>.FromArray(jacobian, [.. y.Shape, .. x.Shape]);
    }
}
