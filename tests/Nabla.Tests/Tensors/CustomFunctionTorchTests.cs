using System.Text.Json;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Tensors;

/// <summary>
/// The same custom functions written as <c>torch.autograd.Function</c>s: which outputs require grad (by which inputs do,
/// and under no_grad), how a gradient returned at a broadcast shape is summed down, and which shapes are refused.
/// </summary>
public class CustomFunctionTorchTests
{
    private const string Script = """
        import json, sys
        import torch

        a_data, b_data = json.loads(sys.argv[1]), json.loads(sys.argv[2])

        class Scale(torch.autograd.Function):
            # y = a * b with b (1, 3) broadcast over a (2, 3); b's gradient is returned at the broadcast shape.
            @staticmethod
            def forward(ctx, a, b):
                ctx.save_for_backward(a, b)
                return a * b
            @staticmethod
            def backward(ctx, g):
                a, b = ctx.saved_tensors
                return g * b, g * a

        class Spread(torch.autograd.Function):
            # y = 2x; the gradient is returned with an extra leading axis of 4, which sums to 4 copies.
            @staticmethod
            def forward(ctx, x):
                return x * 2
            @staticmethod
            def backward(ctx, g):
                return (g * 2).expand(4, *g.shape)

        class Wrong(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2
            @staticmethod
            def backward(ctx, g):
                return g.sum(0)

        def leaf(data, shape, requires):
            return torch.tensor(data, dtype=torch.float64).reshape(shape).requires_grad_(requires)

        out = {}
        a, b = leaf(a_data, (2, 3), True), leaf(b_data, (1, 3), True)
        w = torch.cos(torch.arange(6, dtype=torch.float64)).reshape(2, 3)
        (Scale.apply(a, b) * w).sum().backward()
        out["scale_a"], out["scale_b"] = a.grad.flatten().tolist(), b.grad.flatten().tolist()
        x = leaf(a_data, (2, 3), True)
        (Spread.apply(x) * w).sum().backward()
        out["spread"] = x.grad.flatten().tolist()
        try:
            Wrong.apply(leaf(a_data, (2, 3), True)).sum().backward()
            out["wrong_refused"] = False
        except RuntimeError:
            out["wrong_refused"] = True
        flags = []
        for ra in (False, True):
            for rb in (False, True):
                for no_grad in (False, True):
                    with torch.set_grad_enabled(not no_grad):
                        flags.append(Scale.apply(leaf(a_data, (2, 3), ra), leaf(b_data, (1, 3), rb)).requires_grad)
        out["requires_grad"] = flags
        print(json.dumps(out))
        """;

    [Fact]
    public void Recording_and_broadcast_gradients_match_torch_autograd_Function()
    {
        if (!Python.Has("torch"))
            Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison did not run.");
        var a0 = CustomFunctionTests.Random<double>(1, 2, 3);
        var b0 = CustomFunctionTests.Random<double>(2, 1, 3);
        static string Json(Tensor<double> t) => JsonSerializer.Serialize(t.ToArray());
        using var torch = JsonDocument.Parse(Python.Run("-c", Script, Json(a0), Json(b0)));
        double[] Read(string name) => [.. torch.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];
        var w = Tensor.FromArray(Enumerable.Range(0, 6).Select(i => Math.Cos(i)).ToArray(), 2, 3);

        var (a, b) = (a0.Clone().RequireGrad(), b0.Clone().RequireGrad());
        (new BroadcastScale<double>().Apply(a, b) * w).Sum().Backward();
        Close(Read("scale_a"), a.Grad!.ToArray());
        Close(Read("scale_b"), b.Grad!.ToArray());

        var x = a0.Clone().RequireGrad();
        var spread = new Adhoc((_, xs) => xs[0] * 2.0, (_, g) => [(g * 2.0).Expand(4, 2, 3)]);
        (spread.Apply(x) * w).Sum().Backward();
        Close(Read("spread"), x.Grad!.ToArray());

        var wrong = new Adhoc((_, xs) => xs[0] * 2.0, (_, g) => [g.Sum(0)]);
        bool refused = Record.Exception(() => wrong.Apply(a0.Clone().RequireGrad()).Sum().Backward()) is NablaException;
        Assert.Equal(torch.RootElement.GetProperty("wrong_refused").GetBoolean(), refused);

        var expected = torch.RootElement.GetProperty("requires_grad").EnumerateArray().Select(e => e.GetBoolean()).ToArray();
        var actual = new List<bool>();
        foreach (bool ra in new[] { false, true })
            foreach (bool rb in new[] { false, true })
                foreach (bool noGrad in new[] { false, true })
                {
                    using var scope = noGrad ? NoGrad.Scope() : null;
                    actual.Add(new BroadcastScale<double>().Apply(a0.Clone().RequireGrad(ra), b0.Clone().RequireGrad(rb)).RequiresGrad);
                }
        Assert.Equal(expected, actual);
    }

    static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-14 * (1 + Math.Abs(expected[i])), $"element {i}: torch {expected[i]:R}, Nabla {actual[i]:R}");
    }
}
