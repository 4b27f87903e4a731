using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Nabla.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Max pooling of one plane, forward and backward. The element chosen for each output is the first maximum of its
/// window in row-major order, or the first NaN when there is one (as PyTorch); padding never wins. Backward finds the
/// same element again from the input instead of keeping an index per output, so a training step keeps nothing but the
/// input. The common 2×2 window with stride 2 and no padding has its own path: in float with 256-bit vectors, eight
/// windows at a time without branches (random data makes every comparison a coin toss for a branch predictor).
/// </summary>
internal static class MaxPoolKernels
{
    /// <summary>True when <paramref name="g"/> is the 2×2, stride-2, unpadded, undilated window of the fast path.</summary>
    public static bool Is2x2(ConvGeometry g) => g is { KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0, DH: 1, DW: 1 };

    /// <summary>
    /// y[q] = the maximum of window q of <paramref name="plane"/>, and, unless <paramref name="indices"/> is empty, its flat
    /// index h·W + w within the plane.
    /// </summary>
    public static void Forward<T>(ConvGeometry g, ReadOnlySpan<T> plane, Span<T> y, Span<int> indices) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Is2x2(g))
        {
            General(g, plane, y, indices);
            return;
        }
        int w = g.W, ow = g.OW, oh = g.OH;
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated && ow >= 4 && indices.IsEmpty)
        {
            var x = Cast<T, float>(plane);
            ref float yf = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(y));
            int count = Segments(oh, ow);
            for (int s = 0; s < count; s += 2)
            {
                var (a, b) = (Segment(s, ow), Segment(Math.Min(s + 1, count - 1), ow));
                var (value, _, _) = Pick8(x, w, a, b);
                value.GetLower().StoreUnsafe(ref yf, (nuint)(a.Oy * ow + a.Ox));
                value.GetUpper().StoreUnsafe(ref yf, (nuint)(b.Oy * ow + b.Ox));
            }
            return;
        }
        for (int oy = 0; oy < oh; oy++)
        {
            var r0 = plane.Slice(2 * oy * w, w);
            var r1 = plane.Slice((2 * oy + 1) * w, w);
            for (int ox = 0; ox < ow; ox++)
            {
                int p = Pick(r0, r1, 2 * ox);
                y[oy * ow + ox] = (p >> 1 == 0 ? r0 : r1)[2 * ox + (p & 1)];
                if (!indices.IsEmpty) indices[oy * ow + ox] = (2 * oy + (p >> 1)) * w + 2 * ox + (p & 1);
            }
        }
    }

    /// <summary>
    /// dx (this plane's input gradient, overwritten) from dy: each output's gradient goes to the element the forward pass
    /// chose; every other element gets 0.
    /// </summary>
    public static void Backward<T>(ConvGeometry g, ReadOnlySpan<T> plane, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Is2x2(g))
        {
            // Overlapping or padded windows: find the indices, then add (two windows may choose the same element).
            dx.Clear();
            var indices = ArrayPool<int>.Shared.Rent(g.L);
            var y = ArrayPool<T>.Shared.Rent(g.L);
            General(g, plane, y.AsSpan(0, g.L), indices.AsSpan(0, g.L));
            for (int q = 0; q < g.L; q++) dx[indices[q]] += dy[q];
            ArrayPool<T>.Shared.Return(y);
            ArrayPool<int>.Shared.Return(indices);
            return;
        }
        int w = g.W, ow = g.OW, oh = g.OH;
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated && ow >= 4)
        {
            var x = Cast<T, float>(plane);
            ref float dyf = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(dy));
            ref float dxf = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(dx));
            int count = Segments(oh, ow);
            for (int s = 0; s < count; s += 2)
            {
                var (a, b) = (Segment(s, ow), Segment(Math.Min(s + 1, count - 1), ow));
                var (_, col, row) = Pick8(x, w, a, b);
                var d = Vector256.Create(Vector128.LoadUnsafe(ref dyf, (nuint)(a.Oy * ow + a.Ox)), Vector128.LoadUnsafe(ref dyf, (nuint)(b.Oy * ow + b.Ox)));
                // Lanes of d masked by the chosen (row, column), interleaved back into the windows' two input rows.
                var top = ~row.AsSingle() & d;
                var bottom = row.AsSingle() & d;
                Interleave(~col.AsSingle() & top, col.AsSingle() & top, ref dxf, 2 * a.Oy * w + 2 * a.Ox, 2 * b.Oy * w + 2 * b.Ox);
                Interleave(~col.AsSingle() & bottom, col.AsSingle() & bottom, ref dxf, (2 * a.Oy + 1) * w + 2 * a.Ox, (2 * b.Oy + 1) * w + 2 * b.Ox);
            }
        }
        else
            for (int oy = 0; oy < oh; oy++)
            {
                var r0 = plane.Slice(2 * oy * w, w);
                var r1 = plane.Slice((2 * oy + 1) * w, w);
                var d0 = dx.Slice(2 * oy * w, w);
                var d1 = dx.Slice((2 * oy + 1) * w, w);
                for (int ox = 0; ox < ow; ox++)
                {
                    int c = 2 * ox, p = Pick(r0, r1, c);
                    T d = dy[oy * ow + ox];
                    d0[c] = p == 0 ? d : T.Zero;
                    d0[c + 1] = p == 1 ? d : T.Zero;
                    d1[c] = p == 2 ? d : T.Zero;
                    d1[c + 1] = p == 3 ? d : T.Zero;
                }
            }
        // Disjoint windows write each of their elements once; only the row and column no window covers need clearing.
        for (int r = 0; r < 2 * oh; r++) dx.Slice(r * w + 2 * ow, w - 2 * ow).Clear();
        dx[(2 * oh * w)..].Clear();
    }

    /// <summary>Runs of four windows in a row per plane: ⌈OW/4⌉ per window row, the last one overlapping the one before when OW is not a multiple of 4.</summary>
    private static int Segments(int oh, int ow) => oh * ((ow + 3) / 4);

    /// <summary>Window row and first window column of run <paramref name="s"/> (OW ≥ 4).</summary>
    private static (int Oy, int Ox) Segment(int s, int ow)
    {
        int perRow = (ow + 3) / 4, oy = s / perRow;
        return (oy, Math.Min(4 * (s - oy * perRow), ow - 4));
    }

    /// <summary>
    /// The window at columns c, c + 1 of the row pair: 2·row + column of its chosen element, scanning in row-major order
    /// and taking a later element only when it is larger, or NaN under a non-NaN.
    /// </summary>
    private static int Pick<T>(ReadOnlySpan<T> r0, ReadOnlySpan<T> r1, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T best = r0[c];
        int arg = 0;
        if (T.IsNaN(best)) return 0;
        if (r0[c + 1] > best || T.IsNaN(r0[c + 1])) (best, arg) = (r0[c + 1], 1);
        if (!T.IsNaN(best) && (r1[c] > best || T.IsNaN(r1[c]))) (best, arg) = (r1[c], 2);
        if (!T.IsNaN(best) && (r1[c + 1] > best || T.IsNaN(r1[c + 1]))) arg = 3;
        return arg;
    }

    /// <summary>
    /// Two runs of four windows at once, <paramref name="a"/> in the low lanes and <paramref name="b"/> in the high ones:
    /// their maxima and, as all-bits masks, whether the chosen element is in the right column and in the lower row. First
    /// each vertical pair (the lower element wins when larger, or NaN under a non-NaN), then each horizontal pair of
    /// those: the right one wins when larger, or NaN under a non-NaN, or, for equal values or two NaNs, when it comes first
    /// in row-major order (it is in the top row and the left one in the bottom row). This is <see cref="Pick{T}"/>'s choice.
    /// </summary>
    private static (Vector256<float> Value, Vector256<int> Col, Vector256<int> Row) Pick8(ReadOnlySpan<float> plane, int w, (int Oy, int Ox) a, (int Oy, int Ox) b)
    {
        ref float x = ref MemoryMarshal.GetReference(plane);
        nuint ta = (nuint)(2 * a.Oy * w + 2 * a.Ox), tb = (nuint)(2 * b.Oy * w + 2 * b.Ox);
        var (v0, low0) = Vertical(Vector256.LoadUnsafe(ref x, ta), Vector256.LoadUnsafe(ref x, ta + (nuint)w));
        var (v1, low1) = Vertical(Vector256.LoadUnsafe(ref x, tb), Vector256.LoadUnsafe(ref x, tb + (nuint)w));
        // Even lanes are the windows' left columns, odd lanes their right columns.
        var (left, right) = Deinterleave(v0, v1);
        var (rowL, rowR) = Deinterleave(low0, low1);
        var nanL = ~Vector256.Equals(left, left);
        var nanR = ~Vector256.Equals(right, right);
        var rightFirst = ~rowR & rowL;
        var takeRight = (nanL & nanR & rightFirst)
            | (~nanL & (Vector256.GreaterThan(right, left) | nanR | (Vector256.Equals(right, left) & rightFirst)));
        return (Vector256.ConditionalSelect(takeRight, right, left), takeRight.AsInt32(), Vector256.ConditionalSelect(takeRight, rowR, rowL).AsInt32());
    }

    private static (Vector256<float> Value, Vector256<float> Lower) Vertical(Vector256<float> top, Vector256<float> bottom)
    {
        var takeBottom = Vector256.Equals(top, top) & (Vector256.GreaterThan(bottom, top) | ~Vector256.Equals(bottom, bottom));
        return (Vector256.ConditionalSelect(takeBottom, bottom, top), takeBottom);
    }

    /// <summary>The even lanes of (a, b) in order, and the odd lanes.</summary>
    private static (Vector256<float> Even, Vector256<float> Odd) Deinterleave(Vector256<float> a, Vector256<float> b)
    {
        var order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var pa = Vector256.Shuffle(a, order);
        var pb = Vector256.Shuffle(b, order);
        return (Vector256.Create(pa.GetLower(), pb.GetLower()), Vector256.Create(pa.GetUpper(), pb.GetUpper()));
    }

    /// <summary>Stores e₀, o₀, … e₃, o₃ at x[at] and e₄, o₄, … e₇, o₇ at x[bt].</summary>
    private static void Interleave(Vector256<float> even, Vector256<float> odd, ref float x, int at, int bt)
    {
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        Vector256.Shuffle(Vector256.Create(even.GetLower(), odd.GetLower()), order).StoreUnsafe(ref x, (nuint)at);
        Vector256.Shuffle(Vector256.Create(even.GetUpper(), odd.GetUpper()), order).StoreUnsafe(ref x, (nuint)bt);
    }

    private static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> s) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(s)), s.Length);

    /// <summary>Any window, stride, padding and dilation: a scan of each window in row-major order.</summary>
    private static void General<T>(ConvGeometry g, ReadOnlySpan<T> plane, Span<T> y, Span<int> indices) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OH, ow = g.OW;
        for (int oy = 0, q = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++, q++)
            {
                T best = T.NegativeInfinity;
                int arg = -1;
                for (int i = 0; i < g.KH; i++)
                {
                    int ih = oy * g.SH - g.PH + i * g.DH;
                    if ((uint)ih >= (uint)g.H) continue;
                    for (int j = 0; j < g.KW; j++)
                    {
                        int iw = ox * g.SW - g.PW + j * g.DW;
                        if ((uint)iw >= (uint)g.W) continue;
                        T v = plane[ih * g.W + iw];
                        if (arg >= 0 && !(v > best) && !T.IsNaN(v)) continue;
                        (best, arg) = (v, ih * g.W + iw);
                        if (T.IsNaN(v)) { i = g.KH; break; }
                    }
                }
                y[q] = best;
                if (!indices.IsEmpty) indices[q] = arg;
            }
    }
}
