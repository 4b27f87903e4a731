using System.Numerics;
using Nabla.Ops;

namespace Nabla.Tensors;

/// <summary>Element-wise loops that have no span kernel: partial derivatives, masks, selection.</summary>
internal static partial class ElementwiseLoops
{
    /// <summary>
    /// g[i] = dy[i] · ∂f/∂a (or ∂f/∂b when <paramref name="wrtB"/>) at (a[i], b[i], y[i]), over the broadcast
    /// <paramref name="shape"/> of the output; y and dy are contiguous tensors of that shape.
    /// </summary>
    public static T[] Partial<T, TOp>(Tensor<T> a, Tensor<T> b, Tensor<T> y, Tensor<T> dy, int[] shape, bool wrtB)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryOp<TOp>
    {
        var g = BufferPool<T>.Rent(Shapes.ElementCount(shape));
        var ys = y.ContiguousSpan();
        var dys = dy.ContiguousSpan();
        var rows = new Rows(shape,
            [Shapes.BroadcastStrides(a.ShapeArray, a.StridesArray, shape), Shapes.BroadcastStrides(b.ShapeArray, b.StridesArray, shape),
             Shapes.RowMajorStrides(shape)],
            [a.Offset, b.Offset, 0]);
        int n = rows.RowLength, sa = rows.InnerStride(0), sb = rows.InnerStride(1);
        T[] da = a.Storage, db = b.Storage;   // read once: the storage check is per operand, not per element
        for (int r = 0; r < rows.RowCount; r++, rows.Next())
        {
            int pa = rows.Offsets[0], pb = rows.Offsets[1], o = rows.Offsets[2];
            for (int i = 0; i < n; i++)
            {
                T av = da[pa + i * sa], bv = db[pb + i * sb];
                T d = wrtB ? TOp.DerivativeB(av, bv, ys[o + i]) : TOp.DerivativeA(av, bv, ys[o + i]);
                g[o + i] = dys[o + i] * d;
            }
        }
        return g;
    }

    /// <summary>y[i] = f(a[i], b[i]) for a scalar function over the broadcast <paramref name="shape"/>.</summary>
    public static T[] Zip<T>(Tensor<T> a, Tensor<T> b, int[] shape, Func<T, T, T> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = BufferPool<T>.Rent(Shapes.ElementCount(shape));
        var rows = new Rows(shape,
            [Shapes.BroadcastStrides(a.ShapeArray, a.StridesArray, shape), Shapes.BroadcastStrides(b.ShapeArray, b.StridesArray, shape),
             Shapes.RowMajorStrides(shape)],
            [a.Offset, b.Offset, 0]);
        int n = rows.RowLength, sa = rows.InnerStride(0), sb = rows.InnerStride(1);
        T[] da = a.Storage, db = b.Storage;
        for (int r = 0; r < rows.RowCount; r++, rows.Next())
        {
            int pa = rows.Offsets[0], pb = rows.Offsets[1], o = rows.Offsets[2];
            for (int i = 0; i < n; i++) y[o + i] = f(da[pa + i * sa], db[pb + i * sb]);
        }
        return y;
    }

    /// <summary>y[i] = cond[i] ≠ 0 ? a[i] : b[i] over the broadcast <paramref name="shape"/> (NaN counts as true).</summary>
    public static T[] Where<T>(Tensor<T> cond, Tensor<T> a, Tensor<T> b, int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = BufferPool<T>.Rent(Shapes.ElementCount(shape));
        var rows = new Rows(shape,
            [Shapes.BroadcastStrides(cond.ShapeArray, cond.StridesArray, shape),
             Shapes.BroadcastStrides(a.ShapeArray, a.StridesArray, shape), Shapes.BroadcastStrides(b.ShapeArray, b.StridesArray, shape),
             Shapes.RowMajorStrides(shape)],
            [cond.Offset, a.Offset, b.Offset, 0]);
        int n = rows.RowLength, sc = rows.InnerStride(0), sa = rows.InnerStride(1), sb = rows.InnerStride(2);
        T[] dc = cond.Storage, da = a.Storage, db = b.Storage;
        for (int r = 0; r < rows.RowCount; r++, rows.Next())
        {
            int pc = rows.Offsets[0], pa = rows.Offsets[1], pb = rows.Offsets[2], o = rows.Offsets[3];
            for (int i = 0; i < n; i++)
                y[o + i] = dc[pc + i * sc] != T.Zero ? da[pa + i * sa] : db[pb + i * sb];
        }
        return y;
    }
}
