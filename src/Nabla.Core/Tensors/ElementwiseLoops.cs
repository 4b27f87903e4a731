using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Ops;

namespace Nabla.Tensors;

/// <summary>
/// The element-wise loops every tensor op runs on. Contiguous operands of equal shape go straight to the
/// op struct's span kernel (TensorPrimitives where it has one); anything strided or broadcast is walked a
/// row at a time by <see cref="Rows"/>, with non-unit-stride rows gathered into a pooled buffer first.
/// </summary>
internal static partial class ElementwiseLoops
{
    /// <summary>y = f(x) over the whole tensor, into a new contiguous array.</summary>
    public static T[] Map<T, TOp>(Tensor<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IUnaryOp<TOp>
    {
        var y = BufferPool<T>.Rent(x.ElementCount);
        Map<T, TOp>(x, y);
        return y;
    }

    /// <summary>y = f(x) over the whole tensor, into <paramref name="y"/> (row-major, x's element count).</summary>
    public static void Map<T, TOp>(Tensor<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IUnaryOp<TOp>
    {
        var xs = x.Storage;
        if (x.IsContiguous) { TOp.Apply<T>(xs.AsSpan(x.Offset, y.Length), y); return; }
        var rows = new Rows(x.ShapeArray, [x.StridesArray, Shapes.RowMajorStrides(x.ShapeArray)], [x.Offset, 0]);
        T[]? buffer = null;
        for (int r = 0; r < rows.RowCount; r++, rows.Next())
            TOp.Apply<T>(Row(xs, rows.Offsets[0], rows.InnerStride(0), rows.RowLength, ref buffer),
                y.Slice(rows.Offsets[1], rows.RowLength));
        Return(buffer);
    }

    /// <summary>Up to this many elements a broadcast single-element operand is expanded on the stack.</summary>
    internal const int ScalarRowLimit = 64;

    /// <summary>y = f(a, b) with a and b broadcast to <paramref name="shape"/>, into a new contiguous array.</summary>
    public static T[] Map<T, TOp>(Tensor<T> a, Tensor<T> b, int[] shape)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOp<TOp>
    {
        int n = ReferenceEquals(shape, a.ShapeArray) ? a.ElementCount : ReferenceEquals(shape, b.ShapeArray) ? b.ElementCount : Shapes.ElementCount(shape);
        var y = BufferPool<T>.Rent(n);
        Map<T, TOp>(a, b, shape, y);
        return y;
    }

    /// <summary>y = f(a, b) with a and b broadcast to <paramref name="shape"/>, into <paramref name="y"/> (row-major).</summary>
    public static void Map<T, TOp>(Tensor<T> a, Tensor<T> b, int[] shape, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOp<TOp>
    {
        T[] sa = a.Storage, sb = b.Storage;
        bool contiguous = a.IsContiguous && b.IsContiguous;
        // Contiguous operands with as many elements as the output broadcast nothing: one span call.
        if (contiguous && a.ElementCount == y.Length && b.ElementCount == y.Length)
        {
            TOp.Apply<T>(sa.AsSpan(a.Offset, y.Length), sb.AsSpan(b.Offset, y.Length), y);
            return;
        }
        // One single-element operand against a contiguous one: the broadcast row Rows would build, without Rows.
        if (contiguous && a.ElementCount == 1 && b.ElementCount == y.Length
            && MapScalar<T, TOp>(sa[a.Offset], b, scalarFirst: true, y)) return;
        if (contiguous && b.ElementCount == 1 && a.ElementCount == y.Length
            && MapScalar<T, TOp>(sb[b.Offset], a, scalarFirst: false, y)) return;
        var rows = new Rows(shape,
            [Shapes.BroadcastStrides(a.ShapeArray, a.StridesArray, shape), Shapes.BroadcastStrides(b.ShapeArray, b.StridesArray, shape),
             Shapes.RowMajorStrides(shape)],
            [a.Offset, b.Offset, 0]);
        T[]? bufferA = null, bufferB = null;
        for (int r = 0; r < rows.RowCount; r++, rows.Next())
        {
            var ra = Row(sa, rows.Offsets[0], rows.InnerStride(0), rows.RowLength, ref bufferA);
            var rb = Row(sb, rows.Offsets[1], rows.InnerStride(1), rows.RowLength, ref bufferB);
            TOp.Apply<T>(ra, rb, y.Slice(rows.Offsets[2], rows.RowLength));
        }
        Return(bufferA);
        Return(bufferB);
    }

    /// <summary>
    /// y = f(s, x) (or f(x, s) when not <paramref name="scalarFirst"/>) for a contiguous x of at most
    /// <see cref="ScalarRowLimit"/> elements, with s broadcast into a stack row exactly as <see cref="Row{T}"/> would
    /// broadcast it; returns false, writing nothing, when x is too long or not contiguous.
    /// </summary>
    public static bool MapScalar<T, TOp>(T s, Tensor<T> x, bool scalarFirst, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOp<TOp>
    {
        int n = x.ElementCount;
        if (n > ScalarRowLimit || !x.IsContiguous) return false;
        Span<T> row = stackalloc T[n];   // only n elements: the stack row is zeroed before the fill
        row.Fill(s);
        if (scalarFirst) TOp.Apply<T>(row, x.Storage.AsSpan(x.Offset, n), y);
        else TOp.Apply<T>(x.Storage.AsSpan(x.Offset, n), row, y);
        return true;
    }

    /// <summary>
    /// For every element of <paramref name="source"/>: dst[p] += source[i] (or = with <paramref name="overwrite"/>),
    /// where p walks <paramref name="dst"/> from <paramref name="dstOffset"/> with <paramref name="dstStrides"/> given
    /// per dimension of the source's shape. A stride of 0 sums every source element along that dimension into one slot,
    /// which is how a broadcast gradient is summed back to its input's shape and how Sum reduces.
    /// </summary>
    public static void Accumulate<T>(T[] dst, int dstOffset, int[] dstStrides, Tensor<T> source, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = new Rows(source.ShapeArray, [dstStrides, source.StridesArray], [dstOffset, source.Offset]);
        int n = rows.RowLength, sd = rows.InnerStride(0), ss = rows.InnerStride(1);
        var src = source.Storage;
        for (int r = 0; r < rows.RowCount; r++, rows.Next())
        {
            int pd = rows.Offsets[0], ps = rows.Offsets[1];
            if (sd == 1 && ss == 1)
            {
                var d = dst.AsSpan(pd, n);
                if (overwrite) src.AsSpan(ps, n).CopyTo(d);
                else TensorPrimitives.Add(d, src.AsSpan(ps, n), d);
            }
            else if (sd == 0 && ss == 1 && !overwrite) dst[pd] += TensorPrimitives.Sum<T>(src.AsSpan(ps, n));
            else if (sd == 1 && ss == 0)
            {
                var d = dst.AsSpan(pd, n);
                if (overwrite) d.Fill(src[ps]);
                else TensorPrimitives.Add(d, src[ps], d);
            }
            else if (overwrite) for (int i = 0; i < n; i++) dst[pd + i * sd] = src[ps + i * ss];
            else for (int i = 0; i < n; i++) dst[pd + i * sd] += src[ps + i * ss];
        }
    }

    /// <summary>A new array with the tensor's elements in row-major order.</summary>
    public static T[] Gather<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = BufferPool<T>.Rent(x.ElementCount);
        Accumulate(y, 0, Shapes.RowMajorStrides(x.ShapeArray), x, overwrite: true);
        return y;
    }

    /// <summary>
    /// One row of an operand as a span: the storage itself for stride 1, else the row copied into a pooled buffer
    /// (stride 0, a broadcast, fills the buffer with the one value).
    /// </summary>
    public static ReadOnlySpan<T> Row<T>(T[] storage, int offset, int stride, int length, ref T[]? buffer)
        where T : unmanaged
    {
        if (stride == 1) return storage.AsSpan(offset, length);
        buffer ??= ArrayPool<T>.Shared.Rent(length);
        var span = buffer.AsSpan(0, length);
        if (stride == 0) span.Fill(storage[offset]);
        else for (int i = 0; i < length; i++) span[i] = storage[offset + i * stride];
        return span;
    }

    public static void Return<T>(T[]? buffer) where T : unmanaged
    {
        if (buffer is not null) ArrayPool<T>.Shared.Return(buffer);
    }
}
