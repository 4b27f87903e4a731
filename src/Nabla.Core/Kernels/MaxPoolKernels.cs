using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using Nabla.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Max pooling of one plane, forward and backward. The window chosen for each output is the first maximum in row-major
/// window order, or the first NaN when there is one (as PyTorch); padding never wins. Backward finds the same element
/// again from the input instead of keeping an index per output, so a training step keeps nothing but the input.
/// The common 2×2 window with stride 2 and no padding takes a vectorised path: the larger of each vertical pair across
/// the row pair, then the larger of each horizontal pair.
/// </summary>
internal static class MaxPoolKernels
{
    /// <summary>Widest plane the 2×2 path handles with its per-row scratch on the stack.</summary>
    const int MaxStackWidth = 1024;

    /// <summary>True when <paramref name="g"/> is the 2×2, stride-2, unpadded, undilated window of the vectorised path.</summary>
    public static bool Is2x2(ConvGeometry g) => g is { KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0, DH: 1, DW: 1 } && g.W <= MaxStackWidth;

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
        int w = g.W, ow = g.OW;
        Span<T> v = stackalloc T[2 * ow];
        Span<T> lower = stackalloc T[2 * ow];
        Span<byte> pick = stackalloc byte[ow];
        for (int oy = 0; oy < g.OH; oy++)
        {
            Pick2x2(plane.Slice(2 * oy * w, w), plane.Slice((2 * oy + 1) * w, w), v, lower, pick);
            var yr = y.Slice(oy * ow, ow);
            for (int ox = 0; ox < ow; ox++) yr[ox] = v[2 * ox + (pick[ox] & 1)];
            if (indices.IsEmpty) continue;
            var ir = indices.Slice(oy * ow, ow);
            for (int ox = 0; ox < ow; ox++) ir[ox] = (2 * oy + (pick[ox] >> 1)) * w + 2 * ox + (pick[ox] & 1);
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
        int w = g.W, ow = g.OW;
        Span<T> v = stackalloc T[2 * ow];
        Span<T> lower = stackalloc T[2 * ow];
        Span<byte> pick = stackalloc byte[ow];
        for (int oy = 0; oy < g.OH; oy++)
        {
            Pick2x2(plane.Slice(2 * oy * w, w), plane.Slice((2 * oy + 1) * w, w), v, lower, pick);
            var d0 = dx.Slice(2 * oy * w, w);
            var d1 = dx.Slice((2 * oy + 1) * w, w);
            var dyr = dy.Slice(oy * ow, ow);
            // Disjoint windows: each element is written once, so no clearing pass is needed inside them.
            for (int ox = 0; ox < ow; ox++)
            {
                int c = 2 * ox, p = pick[ox];
                T d = dyr[ox];
                d0[c] = p == 0 ? d : T.Zero;
                d0[c + 1] = p == 1 ? d : T.Zero;
                d1[c] = p == 2 ? d : T.Zero;
                d1[c + 1] = p == 3 ? d : T.Zero;
            }
            d0[(2 * ow)..].Clear();
            d1[(2 * ow)..].Clear();
        }
        dx[(2 * g.OH * w)..].Clear();
    }

    /// <summary>
    /// For each 2×2 window of the row pair (r0, r1): <paramref name="pick"/> = 2·row + column of its chosen element.
    /// First the vertical pairs, vectorised: v[j] = the chosen one of r0[j], r1[j] (r1 only when larger, or NaN under a
    /// non-NaN), and <paramref name="lower"/>[j] nonzero (all bits set) when r1 was chosen. Then each horizontal pair of v:
    /// the right one wins when larger, or NaN under a non-NaN, or, for equal values or two NaNs, when it comes first in
    /// row-major window order (it is in row 0 and the left one in row 1).
    /// </summary>
    private static void Pick2x2<T>(ReadOnlySpan<T> r0, ReadOnlySpan<T> r1, Span<T> v, Span<T> lower, Span<byte> pick)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = v.Length, j = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; j <= n - Vector256<T>.Count; j += Vector256<T>.Count)
            {
                var a = Vector256.Create(r0.Slice(j));
                var b = Vector256.Create(r1.Slice(j));
                var takeB = Vector256.Equals(a, a) & (Vector256.GreaterThan(b, a) | ~Vector256.Equals(b, b));
                Vector256.ConditionalSelect(takeB, b, a).CopyTo(v.Slice(j));
                takeB.CopyTo(lower.Slice(j));
            }
        for (; j < n; j++)
        {
            bool takeB = !T.IsNaN(r0[j]) && (r1[j] > r0[j] || T.IsNaN(r1[j]));
            v[j] = takeB ? r1[j] : r0[j];
            lower[j] = takeB ? T.NaN : T.Zero;
        }
        for (int ox = 0; ox < pick.Length; ox++)
        {
            int c = 2 * ox;
            T a = v[c], b = v[c + 1];
            // An all-bits-set mask reads as NaN, a clear one as +0, so "not equal to 0" means row 1.
            int ra = lower[c] != T.Zero ? 1 : 0, rb = lower[c + 1] != T.Zero ? 1 : 0;
            bool takeB = T.IsNaN(a) ? T.IsNaN(b) && rb < ra : b > a || T.IsNaN(b) || (b == a && rb < ra);
            pick[ox] = (byte)(takeB ? 2 * rb + 1 : 2 * ra);
        }
    }

    /// <summary>Any window, stride, padding and dilation: a scan of each window in row-major order.</summary>
    private static void General<T>(ConvGeometry g, ReadOnlySpan<T> plane, Span<T> y, Span<int> indices) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int oy = 0, q = 0; oy < g.OH; oy++)
            for (int ox = 0; ox < g.OW; ox++, q++)
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
