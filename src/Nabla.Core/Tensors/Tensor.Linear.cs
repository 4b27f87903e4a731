using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The fully connected layer as one op: y = x·Wᵀ + b, with x of shape [..., in], <paramref name="weight"/> of shape
    /// [out, in] (PyTorch's layout) and <paramref name="bias"/> of shape [out] or null; y has shape [..., out].
    /// Forward is one <see cref="Gemm"/> call with transB that accumulates onto rows pre-filled with b.
    /// Backward, each one Gemm with transpose flags and no transposed copies: dX = dY·W, dW += dYᵀ·X,
    /// db += Σ over the rows of dY. Leading dimensions of x are flattened into the batch (x of rank 1 is one row).
    /// </summary>
    public static Tensor<T> Linear(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null)
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
        var x2 = x.Rank == 2 ? x : new Tensor<T>(x.IsContiguous ? x.Store : new TensorStorage<T>(Kernels.Gather(x)), x.IsContiguous ? x.Offset : 0, [m, inF], [inF, 1]);
        var (gx, transX, ldx) = GemmOperand(x2);
        var (gw, transW, ldw) = GemmOperand(weight);

        var y = GC.AllocateUninitializedArray<T>(m * outF);
        if (bias is null) y.AsSpan().Clear();
        else
        {
            var b = bias.ContiguousSpan();
            for (int r = 0; r < m; r++) b.CopyTo(y.AsSpan(r * outF, outF));
        }
        if (m > 0 && outF > 0)
            Gemm.Multiply<T>(transX, !transW, m, outF, inF, gx.Storage.AsSpan(gx.Offset), ldx, gw.Storage.AsSpan(gw.Offset), ldw,
                y, outF, accumulate: true);
        var result = new Tensor<T>(y, [.. x.ShapeArray[..^1], outF]);
        if (bias is null ? !Recording(x, weight) : !Recording(x, weight, bias)) return result;

        Tensor<T>[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Record(result, "linear", inputs, saved: [x, weight], (dy, sink) =>
        {
            var dys = dy.IsContiguous ? dy.Storage.AsSpan(dy.Offset, dy.ElementCount) : Kernels.Gather(dy);
            if (m == 0) return;
            if (sink.Needs(0))
            {
                // dX[m, in] = dY[m, out] · W[out, in]
                bool fresh = x.Grad is null;
                var dx = fresh ? GC.AllocateUninitializedArray<T>(m * inF) : null;
                var target = fresh ? dx.AsSpan() : sink.Buffer(0);
                if (outF == 0) target.Clear();
                else Gemm.Multiply<T>(false, transW, m, inF, outF, dys, outF, gw.Storage.AsSpan(gw.Offset), ldw, target, inF, accumulate: !fresh);
                if (fresh) sink.Add(0, new Tensor<T>(dx!, x.ShapeArray), owned: true);
            }
            if (sink.Needs(1) && inF > 0 && outF > 0)
            {
                // dW[out, in] += dYᵀ[out, m] · X[m, in]
                Gemm.Multiply<T>(true, transX, outF, inF, m, dys, outF, gx.Storage.AsSpan(gx.Offset), ldx, sink.Buffer(1), inF, accumulate: true);
            }
            if (bias is not null && sink.Needs(2))
            {
                var db = sink.Buffer(2);
                for (int r = 0; r < m; r++) TensorPrimitives.Add(db, dys.Slice(r * outF, outF), db);
            }
        });
    }
}
