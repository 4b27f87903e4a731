using System.Numerics;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// A copy of this tensor with <paramref name="value"/> wherever <paramref name="mask"/> is nonzero (PyTorch's
    /// <c>masked_fill</c> with a bool mask: True, here any nonzero or NaN, means fill). The mask broadcasts to this tensor's
    /// shape, which the result keeps. The gradient is dy where the mask is 0 and 0 at filled positions; the mask gets none.
    /// With <paramref name="value"/> = −∞ before <see cref="Softmax"/>, the filled positions get probability exactly 0 and
    /// finite (zero) gradients, as long as a row keeps one finite entry; a row filled entirely with −∞ gives NaN, as
    /// <c>torch.softmax</c> does (use <see cref="ScaledDotProductAttention(Tensor{T}, Tensor{T}, Tensor{T}, bool, Tensor{T}?, double?)"/>, which gives 0 there, to avoid it).
    /// </summary>
    public Tensor<T> MaskedFill(Tensor<T> mask, T value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (!Shapes.BroadcastsTo(mask.ShapeArray, ShapeArray))
            throw new NablaException($"masked_fill: the mask of shape {Shapes.Format(mask.ShapeArray)} does not broadcast to the input's shape {Shapes.Format(ShapeArray)}");
        var shape = ShapeArray;
        var fill = Scalar(value);
        var y = Dense(ElementwiseLoops.Where(mask, fill, this, shape), shape, this);
        if (!Recording(this)) return y;
        var zero = Scalar(T.Zero);
        return Record(y, "masked_fill", [this], saved: [mask], (dy, sink) =>
            sink.Add(0, new Tensor<T>(ElementwiseLoops.Where(mask, zero, dy, shape), shape), owned: true),
            ts => Where(mask, zero, ts[0]!));
    }

    /// <summary>
    /// The lower triangle of the last two dimensions: y[.., i, j] = x[.., i, j] where j − i ≤ <paramref name="diagonal"/>,
    /// else 0 (PyTorch's <c>tril</c>; diagonal 0 keeps the main diagonal, −1 drops it, 1 keeps one above). The gradient
    /// passes through the kept positions.
    /// </summary>
    public Tensor<T> Tril(int diagonal = 0) => Triangle(diagonal, lower: true);

    /// <summary>
    /// The upper triangle of the last two dimensions: y[.., i, j] = x[.., i, j] where j − i ≥ <paramref name="diagonal"/>,
    /// else 0 (PyTorch's <c>triu</c>). The gradient passes through the kept positions.
    /// </summary>
    public Tensor<T> Triu(int diagonal = 0) => Triangle(diagonal, lower: false);

    private Tensor<T> Triangle(int diagonal, bool lower)
    {
        string name = lower ? "tril" : "triu";
        if (Rank < 2) throw new NablaException($"{name} needs at least two dimensions (it works on the last two), got shape {Shapes.Format(ShapeArray)}");
        var y = Dense(KeepTriangle(ContiguousSpan(), ShapeArray, diagonal, lower), ShapeArray, this);
        if (!Recording(this)) return y;
        var shape = ShapeArray;
        return Record(y, name, [this], saved: [], (dy, sink) =>
            sink.Add(0, new Tensor<T>(KeepTriangle(dy.ContiguousSpan(), shape, diagonal, lower), shape), owned: true),
            ts => ts[0]!.Triangle(diagonal, lower));
    }

    /// <summary>A copy of the row-major <paramref name="x"/> with every element outside the kept triangle set to 0.</summary>
    private static T[] KeepTriangle(ReadOnlySpan<T> x, int[] shape, int diagonal, bool lower)
    {
        var y = BufferPool<T>.Rent(x.Length);
        int rows = shape[^2], cols = shape[^1];
        for (int m = 0; rows * cols > 0 && m < x.Length / (rows * cols); m++)
            for (int i = 0; i < rows; i++)
            {
                int at = (m * rows + i) * cols;
                // Columns j with j − i ≤ diagonal (lower) or j − i ≥ diagonal (upper), clamped to the row.
                int split = (int)Math.Clamp((long)i + diagonal + (lower ? 1 : 0), 0, cols);
                var src = x.Slice(at, cols);
                var dst = y.AsSpan(at, cols);
                if (lower) { src[..split].CopyTo(dst); dst[split..].Clear(); }
                else { dst[..split].Clear(); src[split..].CopyTo(dst[split..]); }
            }
        return y;
    }

    /// <summary>
    /// A causal mask of shape [<paramref name="queries"/>, <paramref name="keys"/>] (keys defaults to queries): 1 where key
    /// j comes after query i (j &gt; i), the positions to hide, and 0 elsewhere; so <c>scores.MaskedFill(CausalMask(t),
    /// double.NegativeInfinity)</c> lets query i see keys 0 … i, as <c>is_causal</c> in PyTorch's scaled_dot_product_attention
    /// (top-left aligned when queries ≠ keys). Not differentiable.
    /// </summary>
    public static Tensor<T> CausalMask(int queries, int keys = -1)
    {
        if (keys == -1) keys = queries;
        if (queries < 0) throw new NablaArgumentException(nameof(queries), $"the number of queries must be at least 0, got {queries}");
        if (keys < 0) throw new NablaArgumentException(nameof(keys), $"the number of keys must be at least 0 (or -1 for as many as queries), got {keys}");
        if ((long)queries * keys > Array.MaxLength)
            throw new NablaArgumentException(nameof(keys), $"a causal mask of {queries} × {keys} elements is larger than an array can hold");
        var data = new T[queries * keys];
        for (int i = 0; i < queries; i++) data.AsSpan(i * keys, keys)[Math.Min(i + 1, keys)..].Fill(T.One);
        return new Tensor<T>(data, queries, keys);
    }
}
