using System.Buffers;
using System.Numerics;
using Nabla.Kernels;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// 2-d convolution (cross-correlation, as PyTorch's <c>conv2d</c>) of x [N, C, H, W] with
    /// <paramref name="weight"/> [C_out, C/groups, KH, KW] plus <paramref name="bias"/> [C_out] (or none); the output
    /// has shape [N, C_out, OH, OW] with OH = ⌊(H + 2·padding − dilation·(KH − 1) − 1)/stride⌋ + 1 (OW alike).
    /// Lowered to the packed matrix product: the batch is unfolded (im2col, in parallel over the samples) into a
    /// matrix X̂ [C·KH·KW, N·OH·OW] and Y = W·X̂ per group. Backward: dW += dY·X̂ᵀ, dX̂ = Wᵀ·dY folded back onto dx
    /// (col2im: the correlation with the flipped kernel), db = Σ dY over batch and positions.
    /// </summary>
    public static Tensor<T> Conv2d(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null,
        int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 4)
            throw new NablaException($"conv2d needs a weight of shape [out_channels, in_channels/groups, kH, kW], got shape {Shapes.Format(weight.ShapeArray)}");
        if (groups < 1) throw new NablaException($"conv2d: groups must be at least 1, got {groups}");
        var g = ConvGeometry.Create("conv2d", x.ShapeArray, weight.ShapeArray[2], weight.ShapeArray[3], stride, padding, dilation);
        int cout = weight.ShapeArray[0];
        if (g.C % groups != 0 || cout % groups != 0 || weight.ShapeArray[1] * groups != g.C)
            throw new NablaException($"conv2d: input of shape {Shapes.Format(x.ShapeArray)} ({g.C} channels) does not fit weight of shape " +
                $"{Shapes.Format(weight.ShapeArray)} with groups = {groups} (needs in_channels = {weight.ShapeArray[1] * groups} and out_channels divisible by {groups})");
        if (bias is not null && (bias.Rank != 1 || bias.ShapeArray[0] != cout))
            throw new NablaException($"conv2d: bias of shape {Shapes.Format(bias.ShapeArray)} does not match out_channels = {cout} (expected ({cout},))");

        int n = g.N, l = g.L, nl = n * l, cog = cout / groups, kg = weight.ShapeArray[1] * g.KH * g.KW, k = kg * groups;
        var (xs, xo) = Elements(x);
        var (ws, wo) = Elements(weight);
        bool recording = bias is null ? Recording(x, weight) : Recording(x, weight, bias);
        // The unfolded input is kept for the weight gradient when recording; otherwise it is a pooled scratch buffer.
        var cols = recording ? GC.AllocateUninitializedArray<T>(k * nl) : ArrayPool<T>.Shared.Rent(k * nl);
        var yMat = ArrayPool<T>.Shared.Rent(cout * nl);
        var y = GC.AllocateUninitializedArray<T>(n * cout * l);
        try
        {
            GemmWorkers.Run(n, Gemm.MaxThreads, i => g.Im2Col<T>(xs.AsSpan(xo, x.ElementCount), cols, i));
            for (int gi = 0; gi < groups; gi++)
                if (cog > 0 && nl > 0)
                    Gemm.Multiply<T>(false, false, cog, nl, kg, ws.AsSpan(wo + gi * cog * kg), kg,
                        cols.AsSpan(gi * kg * nl), nl, yMat.AsSpan(gi * cog * nl), nl);
            var b = bias?.ContiguousSpan().ToArray();
            GemmWorkers.Run(n, Gemm.MaxThreads, i =>
            {
                for (int c = 0; c < cout; c++)
                {
                    var src = yMat.AsSpan(c * nl + i * l, l);
                    var dst = y.AsSpan((i * cout + c) * l, l);
                    if (b is null) src.CopyTo(dst);
                    else System.Numerics.Tensors.TensorPrimitives.Add(src, b[c], dst);
                }
            });
        }
        finally
        {
            ArrayPool<T>.Shared.Return(yMat);
            if (!recording) ArrayPool<T>.Shared.Return(cols);
        }
        var result = new Tensor<T>(y, [n, cout, g.OH, g.OW]);
        if (!recording) return result;

        Tensor<T>[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Record(result, "conv2d", inputs, saved: [weight], (dy, sink) =>
        {
            if (nl == 0 || cout == 0) return;
            var (dys, dyo) = Elements(dy);
            var dyMat = ArrayPool<T>.Shared.Rent(cout * nl);
            try
            {
                GemmWorkers.Run(n, Gemm.MaxThreads, i =>
                {
                    for (int c = 0; c < cout; c++)
                        dys.AsSpan(dyo + (i * cout + c) * l, l).CopyTo(dyMat.AsSpan(c * nl + i * l, l));
                });
                if (bias is not null && sink.Needs(2))
                {
                    var db = sink.Buffer(2);
                    for (int c = 0; c < cout; c++) db[c] += System.Numerics.Tensors.TensorPrimitives.Sum<T>(dyMat.AsSpan(c * nl, nl));
                }
                if (sink.Needs(1))
                {
                    var dw = sink.Buffer(1);
                    for (int gi = 0; gi < groups; gi++)
                        Gemm.Multiply<T>(false, true, cog, kg, nl, dyMat.AsSpan(gi * cog * nl), nl, cols.AsSpan(gi * kg * nl), nl,
                            dw.Slice(gi * cog * kg), kg, accumulate: true);
                }
                if (sink.Needs(0))
                {
                    var dcols = ArrayPool<T>.Shared.Rent(k * nl);
                    try
                    {
                        for (int gi = 0; gi < groups; gi++)
                            Gemm.Multiply<T>(true, false, kg, nl, cog, ws.AsSpan(wo + gi * cog * kg), kg, dyMat.AsSpan(gi * cog * nl), nl,
                                dcols.AsSpan(gi * kg * nl), nl);
                        var dx = new T[x.ElementCount];
                        GemmWorkers.Run(n, Gemm.MaxThreads, i => g.Col2Im<T>(dcols, dx, i));
                        sink.Add(0, new Tensor<T>(dx, x.ShapeArray), owned: true);
                    }
                    finally { ArrayPool<T>.Shared.Return(dcols); }
                }
            }
            finally { ArrayPool<T>.Shared.Return(dyMat); }
        }, ts =>
        {
            // Bilinear in (x, W) plus b: the convolution of each tangent with the other operand.
            var tb = bias is null ? null : ts[2]?.Reshape(cout, 1, 1);
            return Functional.Tangents.Sum(
                ts[0] is null ? null : Conv2d(ts[0]!, weight, null, stride, padding, dilation, groups),
                ts[1] is null ? null : Conv2d(x, ts[1]!, null, stride, padding, dilation, groups), tb);
        });
    }

    /// <summary>The elements of <paramref name="t"/> in row-major order as (array, offset): its storage when contiguous, else a copy.</summary>
    private static (T[] Data, int Offset) Elements(Tensor<T> t) => t.IsContiguous ? (t.Storage, t.Offset) : (Kernels.Gather(t), 0);
}
