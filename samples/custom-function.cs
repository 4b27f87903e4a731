#:project ../src/Nabla.App/Nabla.App.csproj
#:property PublishAot=false
// A custom op with its own derivative rules, as PyTorch's torch.autograd.Function: a numerically stable log-sum-exp
// over the last axis, gradient-checked, differentiated twice through its Jvp, then used as the loss of a tiny
// softmax classifier trained by gradient descent. Run: dotnet run samples/custom-function.cs
using System.Globalization;
using Nabla.Checking;
using Nabla.Functional;
using Nabla.Rng;
using Nabla.Tensors;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var lse = new LogSumExp<double>();

// 1. Backward against central differences and Jvp against Backward, in double precision (PyTorch's gradcheck).
var rng = new RandomState(0);
var check = FunctionGradCheck.Check(lse, [Tensor.FromArray(rng.Randn(3, 4), 3, 4)]);
Console.WriteLine(check.Message);

// 2. Stable where log(Σ exp x) is not: e^1000 overflows to infinity.
var big = Tensor.FromArray(new[] { 1000.0, 1000.0 }, 1, 2);
Console.WriteLine($"naive log(sum(exp([1000, 1000]))) = {big.Exp().Sum().Log().ToScalar():R}");
Console.WriteLine($"LogSumExp([1000, 1000]) = {lse.Apply(big).ToScalar():R}");   // 1000 + ln 2

// 3. Second derivatives go through Jvp: the Hessian of lse(x) is diag(p) − p·pᵀ with p = softmax(x).
var x = Tensor.FromArray(new[] { 0.5, -1.0, 2.0 });
var hessian = TensorFunctional.Hessian(v => lse.Apply(v.Reshape(1, 3)).Sum(), x).ToArray();
var p = x.Softmax(-1).ToArray();
double worst = 0;
for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
        worst = Math.Max(worst, Math.Abs(hessian[i * 3 + j] - ((i == j ? p[i] : 0) - p[i] * p[j])));
Console.WriteLine($"Hessian through Jvp vs diag(p) - p pT: max |difference| = {worst:R}");

// 4. A softmax classifier on three blobs of 2-D points; the loss is cross-entropy written as lse(logits) − logit of the label.
int[] labels = [.. Enumerable.Range(0, 60).Select(i => i % 3)];
double[,] centres = { { 2, 0 }, { -1, 1.7 }, { -1, -1.7 } };
var noise = rng.Normal(0, 0.6, 60, 2);
var points = new double[120];
for (int i = 0; i < 60; i++)
    for (int d = 0; d < 2; d++) points[i * 2 + d] = centres[labels[i], d] + noise[i * 2 + d];
var inputs = Tensor.FromArray(points, 60, 2);
var targets = Tensor<double>.OneHot(labels, 3);
var w0 = rng.Randn(2, 3);

double Train(Func<Tensor<double>, Tensor<double>> logSumExp, bool print)
{
    var w = Tensor.FromArray((double[])w0.Clone(), 2, 3).RequireGrad();
    var b = Tensor<double>.Zeros(3).RequireGrad();
    double loss = 0;
    for (int step = 0; step <= 200; step++)
    {
        var logits = inputs.MatMul(w) + b;
        var l = (logSumExp(logits) - (logits * targets).Sum(-1)).Mean();
        loss = l.ToScalar();
        if (print && step % 50 == 0) Console.WriteLine($"step {step,3}: loss {loss:F6}");
        if (step == 200) break;
        l.Backward();
        using (NoGrad.Scope())
        {
            w.SubtractScaledInPlace(0.5, w.Grad!);
            b.SubtractScaledInPlace(0.5, b.Grad!);
        }
        w.ZeroGrad();
        b.ZeroGrad();
    }
    return loss;
}

double custom = Train(logits => lse.Apply(logits), print: true);
double builtIn = Train(logits => logits.LogSumExp(-1), print: false);
Console.WriteLine($"final loss, custom LogSumExp: {custom:R}");
Console.WriteLine($"final loss, built-in LogSumExp: {builtIn:R}");

/// <summary>
/// y = m + log Σⱼ exp(xⱼ − m) over the last axis, m the row's maximum (so no exp overflows).
/// ∂y/∂xⱼ = exp(xⱼ − y) = softmax(x)ⱼ; tangent Σⱼ softmax(x)ⱼ·tⱼ.
/// </summary>
sealed class LogSumExp<T> : Function<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    protected override Tensor<T> Forward(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>> inputs)
    {
        var x = inputs[0];
        var m = x.Max(-1, keepDims: true);
        var kept = m.Shape.ToArray();                 // x's shape with the last axis 1: where the gradient broadcasts from
        var y = ((x - m).Exp().Sum(-1, keepDims: true).Log() + m).Squeeze(-1);
        ctx.SaveForBackward(x, y);                    // the input and the output: Jvp reads them, so Hessians see through
        ctx.Set("kept", kept);
        return y;
    }

    protected override Tensor<T>?[] Backward(FunctionContext<T> ctx, Tensor<T> gradOutput)
    {
        var kept = ctx.Get<int[]>("kept");
        return [gradOutput.Reshape(kept) * Softmax(ctx, kept)];
    }

    protected override Tensor<T>? Jvp(FunctionContext<T> ctx, ReadOnlySpan<Tensor<T>?> tangents) =>
        tangents[0] is { } t ? (Softmax(ctx, ctx.Get<int[]>("kept")) * t).Sum(-1) : null;

    // exp(x − y) from the saved input and output, with tensor ops (recorded when a Hessian is taken).
    private static Tensor<T> Softmax(FunctionContext<T> ctx, int[] kept) => (ctx.Saved(0) - ctx.Saved(1).Reshape(kept)).Exp();
}
