namespace Nabla.Tensors;

/// <summary>
/// Shape arithmetic shared by every tensor op: element counts, row-major strides, NumPy broadcasting
/// and axis normalisation. Shapes are <c>int[]</c>, outermost dimension first; a 0-d (scalar) tensor has shape <c>()</c>.
/// </summary>
public static class Shapes
{
    /// <summary>
    /// The number of elements, the product of the dimensions (1 for shape <c>()</c>, 0 when any dimension is 0);
    /// at most <see cref="Array.MaxLength"/>, the most one .NET array holds.
    /// </summary>
    public static int ElementCount(ReadOnlySpan<int> shape)
    {
        // One pass: a zero anywhere makes the tensor empty even after a product that overflowed ((65536, 65536, 0)).
        long n = 1;
        bool tooLarge = false;
        foreach (int d in shape)
        {
            if (d <= 0)
            {
                if (d < 0) throw new NablaException($"negative dimension {d} in shape {Format(shape)}");
                foreach (int e in shape) if (e < 0) throw new NablaException($"negative dimension {e} in shape {Format(shape)}");
                return 0;
            }
            n *= d;
            if (n > Array.MaxLength) { tooLarge = true; n = 1; }
        }
        if (tooLarge) throw new NablaException($"shape {Format(shape)} has more than {Array.MaxLength:N0} elements, the most a tensor holds");
        return (int)n;
    }

    /// <summary>Row-major strides: the last dimension has stride 1, each earlier one the product of the later dimensions.</summary>
    public static int[] RowMajorStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = s; s *= Math.Max(shape[i], 1); }
        return strides;
    }

    /// <summary>NumPy's notation: <c>(2, 3)</c>, <c>(4,)</c>, <c>()</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape.ToArray()) + ")";

    /// <summary>
    /// The NumPy broadcast of two shapes: align them at the right; each pair of dimensions must be equal
    /// or one of them 1, and the result takes the larger. Throws naming both shapes and <paramref name="op"/>.
    /// </summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op)
    {
        if (a.SequenceEqual(b)) return a.ToArray();
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 1; i <= rank; i++)
        {
            int da = i <= a.Length ? a[^i] : 1, db = i <= b.Length ? b[^i] : 1;
            if (da != db && da != 1 && db != 1)
                throw new NablaException($"cannot broadcast shapes {Format(a)} and {Format(b)} in {op}");
            result[rank - i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>
    /// <see cref="Broadcast(ReadOnlySpan{int}, ReadOnlySpan{int}, string)"/> for the engine's own shape arrays: returns
    /// <paramref name="a"/> or <paramref name="b"/> itself (not a copy) when the broadcast equals it, which is safe because
    /// the engine never writes a shape array after a tensor is built.
    /// </summary>
    internal static int[] Broadcast(int[] a, int[] b, string op)
    {
        if (ReferenceEquals(a, b) || b.Length == 0) return a;
        if (a.Length == 0) return b;
        if (a.AsSpan().SequenceEqual(b)) return a;
        return Broadcast((ReadOnlySpan<int>)a, (ReadOnlySpan<int>)b, op);
    }

    /// <summary>True when <paramref name="from"/> broadcasts to exactly <paramref name="to"/>.</summary>
    public static bool BroadcastsTo(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length > to.Length) return false;
        for (int i = 1; i <= from.Length; i++)
            if (from[^i] != to[^i] && from[^i] != 1) return false;
        return true;
    }

    /// <summary>
    /// The strides that read a tensor of <paramref name="shape"/> and <paramref name="strides"/> as if it had
    /// the broadcast shape <paramref name="target"/>: 0 on every dimension that is added or stretched from 1.
    /// </summary>
    internal static int[] BroadcastStrides(int[] shape, int[] strides, int[] target)
    {
        var result = new int[target.Length];
        int lead = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            result[lead + i] = shape[i] == 1 && target[lead + i] != 1 ? 0 : strides[i];
        return result;
    }

    /// <summary>Maps a possibly negative axis (−1 is the last) into [0, rank); throws if out of range.</summary>
    public static int NormalizeAxis(int axis, int rank, string op)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new NablaException($"axis {axis} is out of range for a tensor of rank {rank} in {op}");
        return a;
    }

    /// <summary>The sorted, distinct, normalised axes; every axis when <paramref name="axes"/> is null or empty.</summary>
    internal static int[] NormalizeAxes(int[]? axes, int rank, string op)
    {
        if (axes is null || axes.Length == 0) return Enumerable.Range(0, rank).ToArray();
        var result = axes.Select(a => NormalizeAxis(a, rank, op)).Distinct().Order().ToArray();
        if (result.Length != axes.Length) throw new NablaException($"repeated axis in ({string.Join(", ", axes)}) in {op}");
        return result;
    }
}
