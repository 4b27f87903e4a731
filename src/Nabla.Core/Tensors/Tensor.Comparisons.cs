using System.Numerics;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    // Masks: 1 where the comparison holds and 0 elsewhere, broadcast by NumPy's rules. They are not
    // differentiable and never record; comparisons with NaN are false (NotEqualTo: true), as IEEE 754 says.

    /// <summary>Mask of a &gt; b.</summary>
    public Tensor<T> GreaterThan(Tensor<T> other) => Compare(other, "greater", static (a, b) => a > b);
    /// <summary>Mask of a ≥ b.</summary>
    public Tensor<T> GreaterThanOrEqual(Tensor<T> other) => Compare(other, "greater_equal", static (a, b) => a >= b);
    /// <summary>Mask of a &lt; b.</summary>
    public Tensor<T> LessThan(Tensor<T> other) => Compare(other, "less", static (a, b) => a < b);
    /// <summary>Mask of a ≤ b.</summary>
    public Tensor<T> LessThanOrEqual(Tensor<T> other) => Compare(other, "less_equal", static (a, b) => a <= b);
    /// <summary>Mask of a = b.</summary>
    public Tensor<T> EqualTo(Tensor<T> other) => Compare(other, "equal", static (a, b) => a == b);
    /// <summary>Mask of a ≠ b.</summary>
    public Tensor<T> NotEqualTo(Tensor<T> other) => Compare(other, "not_equal", static (a, b) => a != b);

    private Tensor<T> Compare(Tensor<T> other, string name, Func<T, T, bool> test)
    {
        var shape = Shapes.Broadcast(ShapeArray, other.ShapeArray, name);
        return new Tensor<T>(ElementwiseLoops.Zip(this, other, shape, (a, b) => test(a, b) ? T.One : T.Zero), shape);
    }

    /// <summary>True when both tensors have the same shape and every pair of elements differs by at most atol + rtol·|other| (NaNs never match).</summary>
    public bool AllClose(Tensor<T> other, double rtol = 1e-5, double atol = 1e-8)
    {
        if (!ShapeArray.AsSpan().SequenceEqual(other.ShapeArray)) return false;
        var a = ContiguousSpan();
        var b = other.ContiguousSpan();
        for (int i = 0; i < a.Length; i++)
        {
            double x = double.CreateChecked(a[i]), y = double.CreateChecked(b[i]);
            if (!(Math.Abs(x - y) <= atol + rtol * Math.Abs(y)) && !(x == y)) return false;
        }
        return true;
    }
}
