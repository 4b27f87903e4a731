using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The whole-sequence products of backward, from the pre-activation gradients of the input side <paramref name="dInput"/>
    /// and of the hidden side <paramref name="dHidden"/> (the same array except in the GRU): dX = dInput·W_ih, dW_ih = dInputᵀ·X,
    /// dW_hh = dHiddenᵀ·H_prev, db_ih = Σ rows of dInput, db_hh = Σ rows of dHidden; each written fresh or added in.
    /// </summary>
    private static void SequenceGradients(RecurrentOperands o, GradSink<T> sink, ReadOnlySpan<T> dInput, ReadOnlySpan<T> dHidden, ReadOnlySpan<T> hPrev)
    {
        var s = o.S;
        if (sink.Needs(0))
        {
            var target = GradientTarget(o, sink, 0, out var fresh);
            Gemm.Multiply<T>(false, o.TransWih, s.Rows, s.Input, s.Gates, dInput, s.Gates, o.WihSpan, o.LdWih, target, s.Input, accumulate: fresh is null);
            if (fresh is not null) sink.Add(0, fresh, owned: true);
        }
        if (sink.Needs(1))
        {
            var target = GradientTarget(o, sink, 1, out var fresh);
            Gemm.Multiply<T>(true, false, s.Gates, s.Input, s.Rows, dInput, s.Gates, o.XRows, s.Input, target, s.Input, accumulate: fresh is null);
            if (fresh is not null) sink.Add(1, fresh, owned: true);
        }
        if (sink.Needs(2))
        {
            var target = GradientTarget(o, sink, 2, out var fresh);
            Gemm.Multiply<T>(true, false, s.Gates, s.Hidden, s.Rows, dHidden, s.Gates, hPrev, s.Hidden, target, s.Hidden, accumulate: fresh is null);
            if (fresh is not null) sink.Add(2, fresh, owned: true);
        }
        ColumnSums(o, sink, o.BiasIh, dInput);
        ColumnSums(o, sink, o.BiasHh, dHidden);
    }

    /// <summary>Adds the column sums of <paramref name="d"/> [T·N, G] into input <paramref name="i"/>'s gradient (a bias).</summary>
    private static void ColumnSums(RecurrentOperands o, GradSink<T> sink, int i, ReadOnlySpan<T> d)
    {
        if (i < 0 || !sink.Needs(i)) return;
        int g = o.S.Gates;
        var target = GradientTarget(o, sink, i, out var fresh);
        if (fresh is not null) d[..g].CopyTo(target); else TensorPrimitives.Add(target, d[..g], target);
        for (int r = 1; r < o.S.Rows; r++) TensorPrimitives.Add(target, d.Slice(r * g, g), target);
        if (fresh is not null) sink.Add(i, fresh, owned: true);
    }

    /// <summary>
    /// Where input <paramref name="i"/>'s gradient goes: a fresh pooled tensor of its shape (<paramref name="fresh"/>, to be
    /// written, then handed to the sink) when it has none yet, else its existing buffer (to be added into).
    /// </summary>
    private static Span<T> GradientTarget(RecurrentOperands o, GradSink<T> sink, int i, out Tensor<T>? fresh)
    {
        if (!sink.IsFirst(i)) { fresh = null; return sink.Buffer(i); }
        fresh = BufferPool<T>.RentTensor(o.Inputs[i].ShapeArray);
        return fresh.Storage.AsSpan(0, fresh.ElementCount);
    }

    /// <summary>Hands <paramref name="values"/> (the shape of input <paramref name="i"/>) to its gradient, as a fresh tensor or added in.</summary>
    private static void GiveGradient(RecurrentOperands o, GradSink<T> sink, int i, ReadOnlySpan<T> values)
    {
        if (i < 0 || !sink.Needs(i)) return;
        var target = GradientTarget(o, sink, i, out var fresh);
        if (fresh is not null) values.CopyTo(target); else TensorPrimitives.Add(target, values, target);
        if (fresh is not null) sink.Add(i, fresh, owned: true);
    }
}
