using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;
using Nabla.Ops;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The fully connected layer as one op: y = x·Wᵀ + b, with x of shape [..., in], <paramref name="weight"/> of shape
    /// [out, in] (PyTorch's layout) and <paramref name="bias"/> of shape [out] or null; y has shape [..., out].
    /// Forward is one <see cref="Gemm"/> call with transB whose blocks of output start from b while in cache.
    /// Backward, each one Gemm with transpose flags and no transposed copies: dX = dY·W, dW += dYᵀ·X,
    /// db += Σ over the rows of dY. Leading dimensions of x are flattened into the batch (x of rank 1 is one row).
    /// </summary>
    public static Tensor<T> Linear(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null) => LinearCore<Ops.Relu>(x, weight, bias, activated: false);

    /// <summary>
    /// activation(x·Wᵀ + b) as one op, the values of <c>Linear(x, weight, bias).Apply&lt;TOp&gt;()</c> bit for bit, for an
    /// activation whose derivative follows from its output alone (ReLU, sigmoid, tanh; see <see cref="FusesWithLinear{TOp}"/>).
    /// Forward applies the activation in the matrix product's epilogue, to each block of output while it is in cache
    /// (no second tensor, no second pass, nothing else saved);
    /// backward turns dy into dz = f′·dy a row at a time and adds each row into the bias gradient in the same pass, then
    /// runs the two matrix products. Nabla.Training's <c>Sequential</c> uses it for a Linear followed by such an activation.
    /// </summary>
    internal static Tensor<T> LinearActivation<TOp>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias) where TOp : struct, IUnaryOp<TOp>
    {
        if (!FusesWithLinear<TOp>()) throw new InvalidOperationException($"{TOp.Name} has no derivative from its output alone");
        return LinearCore<TOp>(x, weight, bias, activated: true);
    }

    /// <summary>True for the activations whose derivative can be computed from the output y: relu (y &gt; 0 ⇔ x &gt; 0), sigmoid, tanh.</summary>
    internal static bool FusesWithLinear<TOp>() where TOp : struct, IUnaryOp<TOp> =>
        typeof(TOp) == typeof(Ops.Relu) || typeof(TOp) == typeof(Ops.Sigmoid) || typeof(TOp) == typeof(Ops.Tanh);

    private static Tensor<T> LinearCore<TOp>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias, bool activated) where TOp : struct, IUnaryOp<TOp>
    {
        if (weight.Rank != 2)
            throw new NablaException($"linear needs a weight of shape [out, in], got shape {Shapes.Format(weight.ShapeArray)}");
        int outF = weight.ShapeArray[0], inF = weight.ShapeArray[1];
        if (x.Rank == 0 || x.ShapeArray[^1] != inF)
            throw new NablaException($"linear: input of shape {Shapes.Format(x.ShapeArray)} does not end in in_features = {inF} of weight {Shapes.Format(weight.ShapeArray)}");
        if (bias is not null && (bias.Rank != 1 || bias.ShapeArray[0] != outF))
            throw new NablaException($"linear: bias of shape {Shapes.Format(bias.ShapeArray)} does not match out_features = {outF} (expected ({outF},))");

        int m = x.ElementCount / Math.Max(inF, 1);
        if (inF == 0) m = Shapes.ElementCount(x.ShapeArray[..^1]);
        var x2 = x.Rank == 2 ? x : new Tensor<T>(x.IsContiguous ? x.Store : new TensorStorage<T>(ElementwiseLoops.Gather(x)), x.IsContiguous ? x.Offset : 0, [m, inF], [inF, 1]);
        var (gx, transX, ldx) = GemmOperand(x2);
        var (gw, transW, ldw) = GemmOperand(weight);

        // One product whose epilogue adds the bias and applies the activation block by block while C is in cache.
        var y = BufferPool<T>.Rent(m * outF);
        var b = bias is null ? default : bias.ContiguousSpan();
        if (activated)
            Gemm.MultiplyBiasEpilogue<T, ActivationEpilogue<TOp>>(transX, !transW, m, outF, inF, gx.Storage.AsSpan(gx.Offset), ldx,
                gw.Storage.AsSpan(gw.Offset), ldw, y, outF, b);
        else
            Gemm.MultiplyBiasEpilogue<T, NoEpilogue<T>>(transX, !transW, m, outF, inF, gx.Storage.AsSpan(gx.Offset), ldx,
                gw.Storage.AsSpan(gw.Offset), ldw, y, outF, b);
        var result = new Tensor<T>(y, [.. x.ShapeArray[..^1], outF]);
        if (bias is null ? !Recording(x, weight) : !Recording(x, weight, bias)) return result;

        Tensor<T>[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        ReadOnlySpan<Tensor<T>> saved = activated ? [x, weight, result] : [x, weight];
        return Record(result, activated ? "linear_" + TOp.Name : "linear", inputs, saved, (dy, sink) =>
        {
            if (m == 0) return;
            ReadOnlySpan<T> dys = dy.IsContiguous ? dy.Storage.AsSpan(dy.Offset, dy.ElementCount) : ElementwiseLoops.Gather(dy);
            bool needBias = bias is not null && sink.Needs(2);
            T[]? dz = null;
            if (activated)
            {
                // dz = f′(y)·dy, a row at a time, each row added into the bias gradient while it is in cache.
                dz = ArrayPool<T>.Shared.Rent(m * outF);
                var dzs = dz.AsSpan(0, m * outF);
                dzs.Clear();
                bool fresh = false;
                var db = needBias ? BiasGradient(sink, 2, outF, out fresh) : default;
                for (int r = 0; r < m; r++)
                {
                    var row = dzs.Slice(r * outF, outF);
                    var yr = y.AsSpan(r * outF, outF);
                    TOp.Backward<T>(yr, yr, dys.Slice(r * outF, outF), row);
                    if (!needBias) continue;
                    if (r == 0 && fresh) row.CopyTo(db);
                    else TensorPrimitives.Add(db, row, db);
                }
                dys = dzs;
            }
            else if (needBias)
            {
                var db = BiasGradient(sink, 2, outF, out bool fresh);
                for (int r = 0; r < m; r++)
                {
                    if (r == 0 && fresh) dys.Slice(0, outF).CopyTo(db);
                    else TensorPrimitives.Add(db, dys.Slice(r * outF, outF), db);
                }
            }
            if (sink.Needs(0))
            {
                // dX[m, in] = dY[m, out] · W[out, in], written into a fresh gradient or added into an existing one.
                // A fresh dX comes from the pool: for a hidden layer it is dead once the layer below ran its rule.
                bool first = sink.IsFirst(0);
                var dx = first ? BufferPool<T>.RentTensor(x.ShapeArray) : null;
                var target = first ? dx!.Storage.AsSpan() : sink.Buffer(0);
                if (outF == 0) target.Clear();
                else Gemm.Multiply<T>(false, transW, m, inF, outF, dys, outF, gw.Storage.AsSpan(gw.Offset), ldw, target, inF, accumulate: !first);
                if (first) sink.Add(0, dx!, owned: true);
            }
            if (sink.Needs(1))
            {
                // dW[out, in] = dYᵀ[out, m] · X[m, in], written or added the same way.
                bool first = sink.IsFirst(1);
                var dw = first ? BufferPool<T>.Rent(outF * inF) : null;
                var target = first ? dw.AsSpan() : sink.Buffer(1);
                if (inF > 0 && outF > 0)
                    Gemm.Multiply<T>(true, transX, outF, inF, m, dys, outF, gx.Storage.AsSpan(gx.Offset), ldx, target, inF, accumulate: !first);
                if (first) sink.Add(1, new Tensor<T>(dw!, weight.ShapeArray), owned: true);
            }
            if (dz is not null) ArrayPool<T>.Shared.Return(dz);
        }, ts =>
        {
            // Bilinear in (x, W) plus b: t_z = t_x·Wᵀ + x·t_Wᵀ + t_b; through the activation, t_y = f′(z)·t_z.
            var tz = Tangents.Sum(ts[0] is null ? null : Linear(ts[0]!, weight), ts[1] is null ? null : Linear(x, ts[1]!), bias is null ? null : ts[2]);
            if (!activated || tz is null) return tz;
            return ElementwiseDerivatives.UnaryTangent<T, TOp>(Linear(x, weight, bias), result, tz);
        });
    }

    /// <summary>The activation <typeparamref name="TOp"/> as the matrix product's epilogue, applied in place.</summary>
    private readonly struct ActivationEpilogue<TOp> : IGemmEpilogue<T> where TOp : struct, IUnaryOp<TOp>
    {
        public static void Apply(Span<T> row) => TOp.Apply<T>(row, row);
    }

    /// <summary>
    /// The bias gradient to write rows into: a fresh (uninitialised, <paramref name="fresh"/> true: the first row is
    /// copied, not added) buffer that becomes input <paramref name="i"/>'s gradient, or its existing one.
    /// </summary>
    private static Span<T> BiasGradient(GradSink<T> sink, int i, int length, out bool fresh)
    {
        fresh = sink.IsFirst(i);
        if (!fresh) return sink.Buffer(i);
        var g = BufferPool<T>.Rent(length);
        sink.Add(i, new Tensor<T>(g, length), owned: true);
        return g;
    }
}
