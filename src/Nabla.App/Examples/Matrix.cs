using Nabla.Tensors;

namespace Nabla.Examples;

/// <summary>
/// A row-major matrix of doubles as the examples report it: printable the way NumPy prints it and
/// convertible to nested row arrays for JSON.
/// </summary>
/// <param name="Rows">The number of rows.</param>
/// <param name="Columns">The number of columns.</param>
/// <param name="Values">The elements in row-major order (Rows·Columns of them).</param>
public sealed record Matrix(int Rows, int Columns, double[] Values)
{
    /// <summary>A copy of a 2-d tensor's elements.</summary>
    /// <exception cref="NablaException">The tensor is not 2-d.</exception>
    public static Matrix From(Tensor<double> t) => t.Rank == 2
        ? new Matrix(t.Shape[0], t.Shape[1], t.ToArray())
        : throw new NablaException($"a matrix needs a 2-d tensor, got rank {t.Rank}");

    /// <summary>Element (i, j).</summary>
    public double this[int i, int j] => Values[i * Columns + j];

    /// <summary>The elements as one array per row.</summary>
    public double[][] ToRows() =>
        Enumerable.Range(0, Rows).Select(i => Values.AsSpan(i * Columns, Columns).ToArray()).ToArray();

    /// <summary>NumPy's <c>print(array)</c> text at <paramref name="precision"/> fractional digits (see <see cref="NumPyFormat"/>).</summary>
    public string Format(int precision = 3) => NumPyFormat.Format(Values, [Rows, Columns], precision);
}
