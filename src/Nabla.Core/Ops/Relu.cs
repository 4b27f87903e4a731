using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Ops;

/// <summary>y = max(x, 0); dy/dx = 1 for x &gt; 0 and 0 otherwise, so the derivative at exactly 0 is 0 (the notebooks' convention). NaN in, NaN out.</summary>
public readonly struct Relu : IUnaryOp<Relu>
{
    /// <inheritdoc/>
    public static string Name => "relu";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => x > T.Zero ? x : (T.IsNaN(x) ? x : T.Zero);
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Constant(x.Real > 0 ? 1 : 0);
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"({x} > 0 ? 1 : 0)";
    /// <inheritdoc/>
    public static Domain Domain => new Domain(-3, 3, KinkAt: 0, KinkMargin: 1e-3);

    /// <summary>y[i] = max(x[i], 0) with TensorPrimitives (IEEE maximum: NaN propagates, max(−0, 0) = +0).</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, y);

    /// <summary>dx[i] += x[i] &gt; 0 ? dy[i] : 0, as a Vector256 compare-and-mask for float and double.</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) where T : IFloatingPointIeee754<T>
    {
        if (x.Length < dx.Length || dy.Length < dx.Length) throw new ArgumentException("Operand lengths differ.");
        if (typeof(T) == typeof(float)) Backward(Cast<T, float>(x), Cast<T, float>(dy), CastMutable<T, float>(dx));
        else if (typeof(T) == typeof(double)) Backward(Cast<T, double>(x), Cast<T, double>(dy), CastMutable<T, double>(dx));
        else for (int i = 0; i < dx.Length; i++) if (x[i] > T.Zero) dx[i] += dy[i];
    }

    private static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, n = dx.Length;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var mask = Vector256.GreaterThan(Vector256.Create(x.Slice(i)), Vector256<T>.Zero);
                var sum = Vector256.Create(dx.Slice(i)) + (Vector256.Create(dy.Slice(i)) & mask);
                sum.CopyTo(dx.Slice(i));
            }
        }
        for (; i < n; i++) if (x[i] > T.Zero) dx[i] += dy[i];
    }

    private static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> s) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(s)), s.Length);

    private static Span<TTo> CastMutable<TFrom, TTo>(Span<TFrom> s) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(s)), s.Length);
}
