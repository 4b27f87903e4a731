using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

// Custom functions the tests apply: each imitates a built-in op (so its gradients have an independent reference) or is
// wrong on purpose (so the checks that must catch it can be seen to fail).

/// <summary>y = eˣ, saving y for the rules; the subclasses below differ only in their rules.</summary>
public abstract class ExpForward<T> : Function<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override Tensor<T> Forward(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>> inputs)
    {
        var y = inputs[0].Exp();
        ctx.SaveForBackward(y);
        return y;
    }
}

/// <summary>∂y/∂x = y, reusing the saved output; tangent t·y.</summary>
public sealed class CustomExp<T> : ExpForward<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override Tensor<T>?[] Backward(FunctionContext<T> ctx, Tensor<T> gradOutput) => [gradOutput * ctx.Saved(0)];

    protected override Tensor<T>? Jvp(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>?> tangents) =>
        tangents[0] is { } t ? t * ctx.Saved(0) : null;
}

/// <summary>The same exp without a Jvp: forward mode through it must refuse.</summary>
public sealed class ExpWithoutJvp<T> : ExpForward<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override Tensor<T>?[] Backward(FunctionContext<T> ctx, Tensor<T> gradOutput) => [gradOutput * ctx.Saved(0)];
}

/// <summary>
/// C = A·B; ∂L/∂A = G·Bᵀ, ∂L/∂B = Aᵀ·G, each only when needed; tangent tA·B + A·tB. Records the NeedsInputGrad flags
/// Forward saw and which gradients Backward computed (a spy for the tests; real functions keep no per-call state).
/// </summary>
public sealed class CustomMatMul<T> : Function<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool[]? NeedsSeen { get; private set; }
    public bool[]? Computed { get; private set; }

    protected override Tensor<T> Forward(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>> inputs)
    {
        NeedsSeen = [ctx.NeedsInputGrad(0), ctx.NeedsInputGrad(1)];
        ctx.SaveForBackward(inputs[0], inputs[1]);
        return inputs[0].MatMul(inputs[1]);
    }

    protected override Tensor<T>?[] Backward(FunctionContext<T> ctx, Tensor<T> gradOutput)
    {
        var (a, b) = (ctx.Saved(0), ctx.Saved(1));
        var ga = ctx.NeedsInputGrad(0) ? gradOutput.MatMul(b.Transpose()) : null;
        var gb = ctx.NeedsInputGrad(1) ? a.Transpose().MatMul(gradOutput) : null;
        Computed = [ga is not null, gb is not null];
        return [ga, gb];
    }

    protected override Tensor<T>? Jvp(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>?> tangents)
    {
        var (a, b) = (ctx.Saved(0), ctx.Saved(1));
        var viaA = tangents[0]?.MatMul(b);
        var viaB = tangents[1] is { } tb ? a.MatMul(tb) : null;
        return viaA is null ? viaB : viaB is null ? viaA : viaA + viaB;
    }
}

/// <summary>Softmax over the last axis: y = softmax(x); ∂L/∂x = y·(G − Σ G·y); tangent y·(t − Σ t·y).</summary>
public sealed class CustomSoftmax<T> : Function<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override Tensor<T> Forward(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>> inputs)
    {
        var y = inputs[0].Softmax(-1);
        ctx.SaveForBackward(y);
        return y;
    }

    protected override Tensor<T>?[] Backward(FunctionContext<T> ctx, Tensor<T> gradOutput)
    {
        var y = ctx.Saved(0);
        return [y * (gradOutput - (gradOutput * y).Sum(-1, keepDims: true))];
    }

    protected override Tensor<T>? Jvp(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>?> tangents)
    {
        if (tangents[0] is not { } t) return null;
        var y = ctx.Saved(0);
        return y * (t - (t * y).Sum(-1, keepDims: true));
    }
}

/// <summary>
/// y = a·b with b broadcast along a's rows; Backward returns b's gradient at the broadcast shape (G·a) and lets the
/// engine sum it down, as built-in rules do.
/// </summary>
public sealed class BroadcastScale<T> : Function<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override Tensor<T> Forward(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>> inputs)
    {
        ctx.SaveForBackward(inputs[0], inputs[1]);
        return inputs[0] * inputs[1];
    }

    protected override Tensor<T>?[] Backward(FunctionContext<T> ctx, Tensor<T> gradOutput) =>
        [gradOutput * ctx.Saved(1), gradOutput * ctx.Saved(0)];
}

/// <summary>exp whose Backward is 1% too large: every gradient check must fail on it.</summary>
public sealed class ExpWrongBackward : ExpForward<double>
{
    protected override Tensor<double>?[] Backward(FunctionContext<double> ctx, Tensor<double> gradOutput) => [gradOutput * ctx.Saved(0) * 1.01];

    protected override Tensor<double>? Jvp(FunctionContext<double> ctx, ReadOnlySpan<Tensor<double>?> tangents) =>
        tangents[0] is { } t ? t * ctx.Saved(0) : null;
}

/// <summary>exp with a right Backward and a Jvp twice too large: only the forward-against-reverse check catches it.</summary>
public sealed class ExpWrongJvp : ExpForward<double>
{
    protected override Tensor<double>?[] Backward(FunctionContext<double> ctx, Tensor<double> gradOutput) => [gradOutput * ctx.Saved(0)];

    protected override Tensor<double>? Jvp(FunctionContext<double> ctx, ReadOnlySpan<Tensor<double>?> tangents) =>
        tangents[0] is { } t ? t * ctx.Saved(0) * 2.0 : null;
}

/// <summary>A function whose Forward and Backward are given as delegates, for the refusal tests.</summary>
public sealed class Adhoc(Func<FunctionContext<double>, Tensor<double>[], Tensor<double>> forward,
    Func<FunctionContext<double>, Tensor<double>, Tensor<double>?[]> backward,
    Func<FunctionContext<double>, Tensor<double>?[], Tensor<double>?>? jvp = null) : Function<double>
{
    protected override Tensor<double> Forward(FunctionContext<double> ctx, ReadOnlySpan<Tensor<double>> inputs) => forward(ctx, inputs.ToArray());

    protected override Tensor<double>?[] Backward(FunctionContext<double> ctx, Tensor<double> gradOutput) => backward(ctx, gradOutput);

    protected override Tensor<double>? Jvp(FunctionContext<double> ctx, ReadOnlySpan<Tensor<double>?> tangents) =>
        jvp is null ? base.Jvp(ctx, tangents) : jvp(ctx, tangents.ToArray());
}
