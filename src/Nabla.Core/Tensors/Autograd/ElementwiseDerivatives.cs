using System.Numerics;
using Nabla.Ops;
using Nabla.Scalars;

namespace Nabla.Tensors;

/// <summary>
/// The tangent rules of element-wise ops, made generically from the op structs' derivatives: t_y = f′(x)·t_x for one
/// input, t_y = ∂f/∂a·t_a + ∂f/∂b·t_b for two. The derivatives are themselves recorded tensor ops ("derivative nodes")
/// whose own backward and tangent rules are the next derivative, so tangents can be differentiated again to any order.
/// The first derivative uses the op's fast <c>Derivative</c>; higher ones come from its <c>DerivativeOf</c> formula
/// run on nested <see cref="Dual"/> numbers, one element at a time (forward mode and Hessians, not the training loop).
/// </summary>
internal static class ElementwiseDerivatives
{
    /// <summary>f′(x)·t for the op struct <typeparamref name="TOp"/>; y = f(x) is reused for the first derivative.</summary>
    public static Tensor<T> UnaryTangent<T, TOp>(Tensor<T> x, Tensor<T> y, Tensor<T> t)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOp<TOp> =>
        UnaryDerivative<T, TOp>(x, y, 1) * t;

    /// <summary>∂f/∂a·t_a + ∂f/∂b·t_b (either tangent may be null: zero) over the broadcast shape of a and b.</summary>
    public static Tensor<T>? BinaryTangent<T, TOp>(Tensor<T> a, Tensor<T> b, Tensor<T> y, Tensor<T>? ta, Tensor<T>? tb)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinaryOp<TOp>
    {
        var fromA = ta is null ? null : BinaryPartial<T, TOp>(a, b, y, 1, 0) * ta;
        var fromB = tb is null ? null : BinaryPartial<T, TOp>(a, b, y, 0, 1) * tb;
        return Tangents.Plus(fromA, fromB);
    }

    /// <summary>
    /// dᵏf/dxᵏ element-wise (k = <paramref name="order"/> ≥ 1), recorded with x as its input: backward adds
    /// f⁽ᵏ⁺¹⁾(x)·dy, the tangent is f⁽ᵏ⁺¹⁾(x)·t. <paramref name="y"/> = f(x) serves the first derivative, else null.
    /// </summary>
    internal static Tensor<T> UnaryDerivative<T, TOp>(Tensor<T> x, Tensor<T>? y, int order)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOp<TOp>
    {
        var xs = x.ContiguousSpan();
        var d = new T[xs.Length];
        if (order == 1)
        {
            var ys = y is null ? null : y.ToArray();
            for (int i = 0; i < d.Length; i++) d[i] = TOp.Derivative(xs[i], ys is null ? TOp.Apply(xs[i]) : ys[i]);
        }
        else
        {
            var f = Nest(order, static v => Dual.Apply<TOp>(v));
            for (int i = 0; i < d.Length; i++) d[i] = T.CreateTruncating(f(double.CreateTruncating(xs[i])).Real);
        }
        var result = new Tensor<T>(d, [.. x.Shape]);
        return Tensor<T>.Record(result, $"d{order}({TOp.Name})", [x], saved: [x], (dy, sink) =>
        {
            var derivative = Nest(order, static v => Dual.Apply<TOp>(v));
            sink.Add(0, Along(x.ContiguousSpan().ToArray(), dy.ContiguousSpan().ToArray(), [.. x.Shape], (_, v) => derivative(v)), owned: true);
        },
            ts => UnaryDerivative<T, TOp>(x, null, order + 1) * ts[0]!);
    }

    /// <summary>
    /// ∂^(i+j) f / ∂aⁱ ∂bʲ element-wise over the broadcast shape (i + j ≥ 1), recorded with a and b as inputs: its
    /// derivatives are the partials one order higher in a or in b.
    /// </summary>
    internal static Tensor<T> BinaryPartial<T, TOp>(Tensor<T> a, Tensor<T> b, Tensor<T>? y, int i, int j)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinaryOp<TOp>
    {
        var shape = Shapes.Broadcast(a.ShapeArray, b.ShapeArray, TOp.Name);
        var av = a.ExpandNoGrad(shape).ContiguousSpan();
        var bv = b.ExpandNoGrad(shape).ContiguousSpan();
        var d = new T[av.Length];
        if (i + j == 1)
        {
            var ys = y?.ExpandNoGrad(shape).ContiguousSpan().ToArray();
            for (int e = 0; e < d.Length; e++)
            {
                T ye = ys is null ? TOp.Apply(av[e], bv[e]) : ys[e];
                d[e] = i == 1 ? TOp.DerivativeA(av[e], bv[e], ye) : TOp.DerivativeB(av[e], bv[e], ye);
            }
        }
        else
        {
            var f = NestPartial(i, j, static (p, q) => Dual.Apply<TOp>(p, q));
            for (int e = 0; e < d.Length; e++)
                d[e] = T.CreateTruncating(f(double.CreateTruncating(av[e]), double.CreateTruncating(bv[e])).Real);
        }
        var result = new Tensor<T>(d, shape);
        return Tensor<T>.Record(result, $"d{i},{j}({TOp.Name})", [a, b], saved: [a, b], (dy, sink) =>
        {
            var partial = NestPartial(i, j, static (p, q) => Dual.Apply<TOp>(p, q));
            var ae = a.ExpandNoGrad(shape).ContiguousSpan().ToArray();
            var be = b.ExpandNoGrad(shape).ContiguousSpan().ToArray();
            var dys = dy.ContiguousSpan().ToArray();
            // Over the broadcast shape; the engine sums each gradient back to its input's shape.
            if (sink.Needs(0)) sink.Add(0, Along(ae, dys, shape, (e, v) => partial(v, new Dual(double.CreateTruncating(be[e])))), owned: true);
            if (sink.Needs(1)) sink.Add(1, Along(be, dys, shape, (e, v) => partial(new Dual(double.CreateTruncating(ae[e])), v)), owned: true);
        }, ts => Tangents.Plus(
            ts[0] is null ? null : BinaryPartial<T, TOp>(a, b, null, i + 1, j) * ts[0]!,
            ts[1] is null ? null : BinaryPartial<T, TOp>(a, b, null, i, j + 1) * ts[1]!));
    }

    /// <summary>The k-th derivative of <paramref name="f"/>, by nesting forward-mode derivatives (distinct perturbations).</summary>
    private static Func<Dual, Dual> Nest(int k, Func<Dual, Dual> f)
    {
        for (int n = 0; n < k; n++)
        {
            var g = f;
            f = v => ForwardMode.Derivative(g, v);
        }
        return f;
    }

    /// <summary>∂^(i+j) f/∂aⁱ∂bʲ by nesting forward-mode derivatives in each argument.</summary>
    private static Func<Dual, Dual, Dual> NestPartial(int i, int j, Func<Dual, Dual, Dual> f)
    {
        for (int n = 0; n < i; n++)
        {
            var g = f;
            f = (p, q) => ForwardMode.Derivative(s => g(s, q), p);
        }
        for (int n = 0; n < j; n++)
        {
            var g = f;
            f = (p, q) => ForwardMode.Derivative(s => g(p, s), q);
        }
        return f;
    }

    /// <summary>
    /// g′(x)·dy element-wise for a derivative g of an op, run on dual numbers: each x[e] is perturbed by dy[e] and the
    /// tangent read, so the product forms inside the dual arithmetic (where division orders its operands) instead of as
    /// g′(x) times dy, which is 0 when g′(x) alone underflows (d²/du² ln u = −1/u² for u past 1e154, although the
    /// Hessian of ln(c·x) it feeds is −1/x²).
    /// </summary>
    private static Tensor<T> Along<T>(T[] x, T[] dy, int[] shape, Func<int, Dual, Dual> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = new T[x.Length];
        for (int e = 0; e < d.Length; e++)
        {
            long tag = Dual.NewTag();
            var moved = g(e, Dual.Perturbed(tag, new Dual(double.CreateTruncating(x[e])), new Dual(double.CreateTruncating(dy[e]))));
            d[e] = T.CreateTruncating(moved.TangentOf(tag).Real);
        }
        return new Tensor<T>(d, shape);
    }
}
