using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// The element-wise <c>into</c> overloads: the same bits as the allocating ops (broadcast included), and MatMul into's
/// refusals (shape, contiguity, overlap with an input, grad), with the version bump a saved tensor's check sees.
/// </summary>
public class IntoTests
{
    static Tensor<double> Random(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        return new(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => rng.NextDouble() * 4 - 2).ToArray(), shape);
    }

    static void SameBits(Tensor<double> expected, Tensor<double> actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.ToArray().Select(BitConverter.DoubleToInt64Bits), actual.ToArray().Select(BitConverter.DoubleToInt64Bits));
    }

    public static TheoryData<string> UnaryOps => ["neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "relu"];

    [Theory, MemberData(nameof(UnaryOps))]
    public void Unary_into_gives_the_allocating_ops_bits(string op)
    {
        var x = Random(1, 5, 7);
        if (op is "log" or "sqrt") x = x.Abs() + 0.1;
        var into = Tensor<double>.Zeros(5, 7);
        (Func<Tensor<double>>, Func<Tensor<double>>) pair = op switch
        {
            "neg" => (x.Neg, () => x.Neg(into)), "abs" => (x.Abs, () => x.Abs(into)), "exp" => (x.Exp, () => x.Exp(into)),
            "log" => (x.Log, () => x.Log(into)), "sqrt" => (x.Sqrt, () => x.Sqrt(into)), "sin" => (x.Sin, () => x.Sin(into)),
            "cos" => (x.Cos, () => x.Cos(into)), "tan" => (x.Tan, () => x.Tan(into)), "tanh" => (x.Tanh, () => x.Tanh(into)),
            "sigmoid" => (x.Sigmoid, () => x.Sigmoid(into)), _ => (x.Relu, () => x.Relu(into)),
        };
        var (alloc, write) = pair;
        Assert.Same(into, write());
        SameBits(alloc(), into);
        // A strided input (a transposed view) goes through the row walk.
        var t = x.Transpose();
        var intoT = Tensor<double>.Zeros(7, 5);
        SameBits(t.Exp(), t.Exp(intoT));
    }

    [Fact]
    public void Binary_into_broadcasts_as_the_allocating_ops_do()
    {
        var a = Random(2, 4, 6);
        var row = Random(3, 6);
        var col = Random(4, 4, 1);
        var s = Tensor<double>.Scalar(0.75);
        var into = Tensor<double>.Zeros(4, 6);
        foreach (var b in new[] { Random(5, 4, 6), row, col, s })
        {
            SameBits(a + b, Tensor<double>.Add(a, b, into));
            SameBits(a - b, Tensor<double>.Subtract(a, b, into));
            SameBits(b - a, Tensor<double>.Subtract(b, a, into));
            SameBits(a * b, Tensor<double>.Multiply(a, b, into));
            SameBits(a / b, Tensor<double>.Divide(a, b, into));
            SameBits(a.Maximum(b), a.Maximum(b, into));
            SameBits(a.Minimum(b), a.Minimum(b, into));
            SameBits(a.Abs().Pow(b), a.Abs().Pow(b, into));
        }
        // Both operands broadcast: (4, 1) with (6) gives (4, 6).
        SameBits(col * row, Tensor<double>.Multiply(col, row, into));
        // float too, through TensorPrimitives' float kernels.
        var af = a.To<float>();
        var bf = row.To<float>();
        var intoF = Tensor<float>.Zeros(4, 6);
        Assert.Equal((af * bf).ToArray(), Tensor<float>.Multiply(af, bf, intoF).ToArray());
        Assert.Equal(af.Sigmoid().ToArray(), af.Sigmoid(intoF).ToArray());
    }

    [Fact]
    public void Writing_into_an_input_itself_is_an_in_place_update()
    {
        var a = Random(6, 3, 4);
        var b = Random(7, 4);
        var expected = a * b;
        Tensor<double>.Multiply(a, b, a);
        SameBits(expected, a);
        var e = a.Exp();
        a.Exp(a);
        SameBits(e, a);
    }

    [Fact]
    public void A_shape_that_does_not_match_names_both_shapes()
    {
        var a = Random(8, 3, 4);
        var e = Assert.Throws<NablaException>(() => Tensor<double>.Add(a, a, Tensor<double>.Zeros(4, 3)));
        Assert.Contains("(3, 4)", e.Message);
        Assert.Contains("(4, 3)", e.Message);
        e = Assert.Throws<NablaException>(() => a.Exp(Tensor<double>.Zeros(12)));
        Assert.Contains("(3, 4)", e.Message);
        Assert.Contains("(12,)", e.Message);
        // Inputs that do not broadcast are refused as the allocating op refuses them.
        Assert.Throws<NablaException>(() => Tensor<double>.Add(a, Random(9, 3), Tensor<double>.Zeros(3, 4)));
        // A result that would need to broadcast into `into` does not fit either: into is the result, not a target to broadcast to.
        Assert.Throws<NablaException>(() => Tensor<double>.Add(Random(9, 4), Random(9, 4), Tensor<double>.Zeros(3, 4)));
    }

    [Fact]
    public void Into_refuses_what_MatMul_into_refuses()
    {
        var a = Random(10, 3, 4);
        var w = Random(11, 3, 4).RequireGrad();
        Assert.Contains("requires grad", Assert.Throws<NablaException>(() => a.Exp(w)).Message);
        Assert.Contains("recorded op", Assert.Throws<NablaException>(() => a.Exp(w * 2.0)).Message);
        Assert.Contains("records no gradient", Assert.Throws<NablaException>(() => w.Exp(Tensor<double>.Zeros(3, 4))).Message);
        Assert.Contains("contiguous", Assert.Throws<NablaException>(() => a.Exp(Tensor<double>.Zeros(4, 3).Transpose())).Message);
        var square = Random(12, 4, 4);
        Assert.Contains("different view", Assert.Throws<NablaException>(() => Tensor<double>.Add(square.Transpose(), square, square)).Message);
        Assert.Contains("different view", Assert.Throws<NablaException>(() => square.Slice(0, 1, 3).Exp(square.Slice(0, 0, 2))).Message);
        // Under NoGrad, writing a parameter is allowed (an optimizer step), as for MatMul into.
        using (NoGrad.Scope()) SameBits(a.Relu(), a.Relu(w));
    }

    [Fact]
    public void An_into_write_bumps_the_version_so_a_graph_that_saved_it_refuses_backward()
    {
        var x = Random(13, 3);
        var w = Random(14, 3).RequireGrad();
        var loss = (w * x).Sum();
        x.Exp(x);
        var e = Assert.Throws<NablaException>(() => loss.Backward());
        Assert.Contains("modified in place", e.Message);
    }
}
