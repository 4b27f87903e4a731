using System.Numerics;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>A 0-d tensor holding <paramref name="value"/>.</summary>
    public static Tensor<T> Scalar(T value) => new([value], Array.Empty<int>(), Array.Empty<int>());

    /// <summary>A contiguous tensor of <paramref name="shape"/> holding a copy of <paramref name="data"/> (row-major).</summary>
    public static Tensor<T> FromArray(T[] data, params int[] shape) => new((T[])data.Clone(), shape);

    /// <summary>A 1-d tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor<T> FromArray(T[] data) => new((T[])data.Clone(), data.Length);

    /// <summary>A 2-d tensor holding a copy of <paramref name="data"/>; data[i, j] becomes element (i, j).</summary>
    public static Tensor<T> FromArray(T[,] data) => FromMultiDimensional(data);

    /// <summary>A 3-d tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor<T> FromArray(T[,,] data) => FromMultiDimensional(data);

    /// <summary>A 4-d tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor<T> FromArray(T[,,,] data) => FromMultiDimensional(data);

    /// <summary>A 2-d tensor from rows of equal length; throws naming the first row whose length differs.</summary>
    public static Tensor<T> FromArray(T[][] rows)
    {
        int cols = rows.Length == 0 ? 0 : rows[0].Length;
        var data = new T[rows.Length * cols];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != cols) throw new NablaException($"row {i} has {rows[i].Length} values but row 0 has {cols}: rows must be equal length");
            rows[i].CopyTo(data, i * cols);
        }
        return new Tensor<T>(data, rows.Length, cols);
    }

    private static Tensor<T> FromMultiDimensional(Array data)
    {
        var shape = new int[data.Rank];
        for (int d = 0; d < shape.Length; d++) shape[d] = data.GetLength(d);
        var flat = new T[data.Length];
        int i = 0;
        foreach (T v in data) flat[i++] = v; // enumerates in row-major order
        return new Tensor<T>(flat, shape);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with 0.</summary>
    public static Tensor<T> Zeros(params int[] shape) => new(new T[Shapes.ElementCount(shape)], shape);

    /// <summary>A tensor of <paramref name="shape"/> filled with 1.</summary>
    public static Tensor<T> Ones(params int[] shape) => Full(T.One, shape);

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor<T> Full(T value, params int[] shape)
    {
        var data = GC.AllocateUninitializedArray<T>(Shapes.ElementCount(shape));
        data.AsSpan().Fill(value);
        return new Tensor<T>(data, shape);
    }

    /// <summary>A zero tensor with the shape of <paramref name="like"/>.</summary>
    public static Tensor<T> ZerosLike(Tensor<T> like) => Zeros(like.ShapeArray);

    /// <summary>A tensor of ones with the shape of <paramref name="like"/>.</summary>
    public static Tensor<T> OnesLike(Tensor<T> like) => Ones(like.ShapeArray);

    /// <summary>0, 1, …, stop − 1 (NumPy's <c>arange(stop)</c>).</summary>
    public static Tensor<T> Arange(int stop) => Arange(T.Zero, T.CreateChecked(stop), T.One);

    /// <summary>
    /// start, start + step, … while below <paramref name="stop"/> (above it for a negative step):
    /// ⌈(stop − start)/step⌉ values, element i being start + i·step, as NumPy's <c>arange</c>.
    /// </summary>
    /// <exception cref="NablaArgumentException">An argument is NaN or infinite, step is 0, or there would be more
    /// than <see cref="Array.MaxLength"/> elements; checked before anything is allocated.</exception>
    public static Tensor<T> Arange(T start, T stop, T step)
    {
        Finite(start, "Arange", nameof(start));
        Finite(stop, "Arange", nameof(stop));
        Finite(step, "Arange", nameof(step));
        if (step == T.Zero) throw new NablaArgumentException(nameof(step), "Arange: step is 0; it must be non-zero");
        // In double, so float arguments whose difference overflows float still count correctly.
        double count = Math.Ceiling((double.CreateTruncating(stop) - double.CreateTruncating(start)) / double.CreateTruncating(step));
        if (count > Array.MaxLength)
            throw new NablaArgumentException(nameof(stop),
                $"Arange({start}, {stop}, {step}) would hold {count:G6} elements; a tensor holds at most {Array.MaxLength:N0}");
        int n = count > 0 ? (int)count : 0;
        var data = new T[n];
        for (int i = 0; i < n; i++) data[i] = start + T.CreateChecked(i) * step;
        return new Tensor<T>(data, n);
    }

    /// <summary>
    /// <paramref name="count"/> evenly spaced values from start to stop inclusive (exclusive of stop when
    /// <paramref name="endpoint"/> is false): element i = start + i·(stop − start)/(count − 1), the last exactly stop.
    /// </summary>
    /// <exception cref="NablaArgumentException">start or stop is NaN or infinite, or count is negative or more than
    /// <see cref="Array.MaxLength"/>; checked before anything is allocated.</exception>
    public static Tensor<T> Linspace(T start, T stop, int count, bool endpoint = true)
    {
        Finite(start, "Linspace", nameof(start));
        Finite(stop, "Linspace", nameof(stop));
        if (count < 0 || count > Array.MaxLength)
            throw new NablaArgumentException(nameof(count), $"Linspace: count is {count}; it must be from 0 to {Array.MaxLength:N0}");
        var data = new T[count];
        int div = endpoint ? count - 1 : count;
        T step = div > 0 ? (stop - start) / T.CreateChecked(div) : T.Zero;
        for (int i = 0; i < count; i++) data[i] = start + T.CreateChecked(i) * step;
        if (endpoint && count > 1) data[^1] = stop;
        return new Tensor<T>(data, count);
    }

    private static void Finite(T value, string where, string parameter)
    {
        if (!T.IsFinite(value))
            throw new NablaArgumentException(parameter, $"{where}: {parameter} is {value}; it must be a finite number");
    }

    /// <summary>The identity-like matrix of <paramref name="rows"/>×<paramref name="columns"/> (square when columns is omitted): 1 on the diagonal, 0 elsewhere.</summary>
    public static Tensor<T> Eye(int rows, int? columns = null)
    {
        int cols = columns ?? rows;
        var t = Zeros(rows, cols);
        for (int i = 0; i < Math.Min(rows, cols); i++) t.Storage[i * cols + i] = T.One;
        return t;
    }

    /// <summary>
    /// A (labels.Length × <paramref name="classes"/>) matrix with row n all 0 except 1 at column labels[n];
    /// throws naming the first label outside [0, classes).
    /// </summary>
    public static Tensor<T> OneHot(ReadOnlySpan<int> labels, int classes)
    {
        var t = Zeros(labels.Length, classes);
        for (int n = 0; n < labels.Length; n++)
        {
            if ((uint)labels[n] >= (uint)classes) throw new NablaException($"label {labels[n]} at position {n} is outside [0, {classes})");
            t.Storage[n * classes + labels[n]] = T.One;
        }
        return t;
    }

    /// <summary>Conversion from a scalar: a 0-d tensor, so <c>x * 2.0</c> style code reads naturally.</summary>
    public static implicit operator Tensor<T>(T value) => Scalar(value);
}

/// <summary>Factories that infer the element type from the data: <c>Tensor.FromArray(new double[,] { ... })</c>.</summary>
public static class Tensor
{
    /// <summary>A tensor of <paramref name="shape"/> holding <paramref name="data"/> row-major.</summary>
    public static Tensor<T> FromArray<T>(T[] data, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.FromArray(data, shape);
    /// <summary>A 1-d tensor holding <paramref name="data"/>.</summary>
    public static Tensor<T> FromArray<T>(T[] data) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.FromArray(data);
    /// <summary>A 2-d tensor holding <paramref name="data"/>, shape [rows, columns].</summary>
    public static Tensor<T> FromArray<T>(T[,] data) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.FromArray(data);
    /// <summary>A 3-d tensor holding <paramref name="data"/>, with its three lengths as shape.</summary>
    public static Tensor<T> FromArray<T>(T[,,] data) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.FromArray(data);
    /// <summary>A 2-d tensor with one row per element of <paramref name="rows"/> (all of one length).</summary>
    public static Tensor<T> FromArray<T>(T[][] rows) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.FromArray(rows);
    /// <summary>A 0-d tensor holding <paramref name="value"/>.</summary>
    public static Tensor<T> Scalar<T>(T value) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.Scalar(value);
}
