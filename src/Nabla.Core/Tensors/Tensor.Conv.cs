using Nabla.Ops;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// 2-d convolution (cross-correlation, as PyTorch's <c>conv2d</c>) of x [N, C, H, W] with
    /// <paramref name="weight"/> [C_out, C/groups, KH, KW] plus <paramref name="bias"/> [C_out] (or none); the output
    /// has shape [N, C_out, OH, OW] with OH = ⌊(H + 2·padding − dilation·(KH − 1) − 1)/stride⌋ + 1 (OW alike).
    /// Lowered to the packed matrix product one sample at a time, the samples spread over the cores: sample n is
    /// unfolded (im2col) into X̂ₙ [C·KH·KW, OH·OW] and Yₙ = W·X̂ₙ per group. Backward: dW += Σₙ dYₙ·X̂ₙᵀ (X̂ₙ unfolded
    /// again, so nothing batch-sized is kept), dX̂ₙ = Wᵀ·dYₙ folded back onto dxₙ (col2im: the correlation with the
    /// flipped kernel), db = Σ dY over batch and positions.
    /// </summary>
    public static Tensor<T> Conv2d(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null,
        int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        ConvCore<Ops.Relu>(x, weight, bias, stride, padding, dilation, groups, activated: false);

    /// <summary>
    /// activation(conv2d(x, weight, bias)) as one op, the values of <c>Conv2d(…).Apply&lt;TOp&gt;()</c> bit for bit, for an
    /// activation whose derivative follows from its output (ReLU, sigmoid, tanh). Forward applies the activation to each
    /// sample's output while it is in cache; backward turns each sample's dy into f′·dy in a per-core scratch before the
    /// products. Nabla.Training's <c>Sequential</c> uses it for a Conv2d followed by such an activation.
    /// </summary>
    internal static Tensor<T> Conv2dActivation<TOp>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias,
        int stride = 1, int padding = 0, int dilation = 1, int groups = 1) where TOp : struct, IUnaryOp<TOp>
    {
        if (!FusesWithLinear<TOp>()) throw new InvalidOperationException($"{TOp.Name} has no derivative from its output alone");
        return ConvCore<TOp>(x, weight, bias, stride, padding, dilation, groups, activated: true);
    }

    private static Tensor<T> ConvCore<TOp>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias,
        int stride, int padding, int dilation, int groups, bool activated) where TOp : struct, IUnaryOp<TOp>
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

        var conv = new ConvPlan(g, cout, groups);
        var (xs, xo) = Elements(x);
        var (ws, wo) = Elements(weight);
        var (bs, bo) = bias is null ? (null, 0) : Elements(bias);
        // An op output may be rented (BufferPool rule 1); it comes back only through the engine's rules.
        var y = BufferPool<T>.Rent(g.N * cout * g.L);
        conv.Forward<T, TOp>(xs, xo, ws, wo, bs, bo, y, activated);
        var result = new Tensor<T>(y, [g.N, cout, g.OH, g.OW]);
        Tensor<T>[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        if (!Recording(inputs)) return result;

        ReadOnlySpan<Tensor<T>> saved = activated ? [x, weight, result] : [x, weight];
        return Record(result, activated ? "conv2d_" + TOp.Name : "conv2d", inputs, saved, (dy, sink) =>
        {
            var (dys, dyo) = Elements(dy);
            bool needB = bias is not null && sink.Needs(2);
            var dx = sink.Needs(0) ? BufferPool<T>.RentTensor(x.ShapeArray) : null;
            conv.Backward<T, TOp>(xs, xo, ws, wo, dys, dyo, activated ? y : null, dx?.Storage,
                sink.Needs(1) ? sink.Buffer(1) : default, needB ? sink.Buffer(2) : default);
            if (dx is not null) sink.Add(0, dx, owned: true);
        }, ts =>
        {
            // Bilinear in (x, W) plus b: the convolution of each tangent with the other operand; through the activation,
            // t_y = f′(z)·t_z.
            var tb = bias is null ? null : ts[2]?.Reshape(cout, 1, 1);
            var tz = Tangents.Sum(
                ts[0] is null ? null : Conv2d(ts[0]!, weight, null, stride, padding, dilation, groups),
                ts[1] is null ? null : Conv2d(x, ts[1]!, null, stride, padding, dilation, groups), tb);
            if (!activated || tz is null) return tz;
            return ElementwiseDerivatives.UnaryTangent<T, TOp>(Conv2d(x, weight, bias, stride, padding, dilation, groups), result, tz);
        });
    }

    /// <summary>The elements of <paramref name="t"/> in row-major order as (array, offset): its storage when contiguous, else a copy.</summary>
    private static (T[] Data, int Offset) Elements(Tensor<T> t) => t.IsContiguous ? (t.Storage, t.Offset) : (ElementwiseLoops.Gather(t), 0);
}
