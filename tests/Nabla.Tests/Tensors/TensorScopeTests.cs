using Nabla.Losses;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// TensorScope: what it releases (op results made inside it, with their views) and what it never does (kept tensors,
/// parameters, tensors you create, gradients); every public use of a released tensor throws saying so; nesting; and a
/// training loop with a scope per step giving the bits of the same loop without, with the pool poisoning what comes back.
/// </summary>
public class TensorScopeTests : PoisonedPoolTests
{
    static Tensor<double> Data(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        return new(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), shape);
    }

    static void Refused(Action use)
    {
        var e = Assert.Throws<NablaException>(use);
        Assert.Contains("released when its TensorScope ended", e.Message);
        Assert.Contains("Keep", e.Message);
    }

    public static TheoryData<string> Uses =>
    [
        "index", "write index", "ToArray", "ToString", "ToScalar", "AsSpan", "AsReadOnlySpan", "Fill", "CopyFrom", "op input",
        "scalar op input", "unary op", "MatMul input", "into target", "into input", "in place", "Reshape", "Transpose", "Detach",
        "view taken inside", "Sum", "Keep later", "To<float>", "Clone",
    ];

    [Theory, MemberData(nameof(Uses))]
    public void Every_use_of_a_released_result_throws_saying_it_was_released(string use)
    {
        var x = Data(1, 2, 3);
        Tensor<double> y, view;
        using var outer = TensorScope.Begin();
        using (TensorScope.Begin())
        {
            y = x.Exp() * 2.0;
            view = y.Reshape(3, 2);
        }
        var other = Data(2, 2, 3);
        Action act = use switch
        {
            "index" => () => _ = y[0, 0],
            "write index" => () => y[0, 0] = 1,
            "ToArray" => () => y.ToArray(),
            "ToString" => () => y.ToString(),
            "ToScalar" => () => y.Sum().ToScalar(),
            "AsSpan" => () => y.AsSpan(),
            "AsReadOnlySpan" => () => y.AsReadOnlySpan(),
            "Fill" => () => y.Fill(0),
            "CopyFrom" => () => y.CopyFrom(other),
            "op input" => () => _ = other + y,
            "scalar op input" => () => _ = 1.0 - y,
            "unary op" => () => y.Sigmoid(),
            "MatMul input" => () => y.MatMul(Data(3, 3, 2)),
            "into target" => () => other.Exp(y),
            "into input" => () => y.Exp(other),
            "in place" => () => y.ReluInPlace(),
            "Reshape" => () => y.Reshape(6),
            "Transpose" => () => y.Transpose(),
            "Detach" => () => y.Detach(),
            "view taken inside" => () => view.ToArray(),
            "Sum" => () => y.Sum(),
            "Keep later" => () => outer.Keep(y),
            "To<float>" => () => y.To<float>(),
            _ => () => y.Clone(),
        };
        Refused(act);
        outer.Dispose();
        // Its shape stays readable (it describes the tensor, not its memory).
        Assert.Equal([2, 3], y.Shape);
    }

    [Fact]
    public void Backward_through_a_graph_whose_saved_tensor_was_released_throws()
    {
        var w = Data(4, 3).RequireGrad();
        Tensor<double> loss;
        using (var scope = TensorScope.Begin())
        {
            var h = (w * 2.0).Exp();
            loss = scope.Keep((h * h).Sum());
        }
        var e = Assert.Throws<NablaException>(() => loss.Backward());
        Assert.Contains("released when its TensorScope ended", e.Message);
        Assert.Contains("saved for its gradient", e.Message);
        // The same graph with Backward inside the scope works, and its gradient (a leaf's) outlives the scope.
        w.Grad = null;
        using (TensorScope.Begin())
        {
            var h = (w * 2.0).Exp();
            (h * h).Sum().Backward();
        }
        var expected = w.ToArray().Select(v => 4 * Math.Exp(4 * v)).ToArray();
        Assert.Equal(expected, w.Grad!.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Abs(a));
    }

    [Fact]
    public void Keep_moves_a_tensor_to_the_enclosing_scope_and_out_of_the_outermost()
    {
        var x = Data(5, 4);
        Tensor<double> kept, keptTwice, dropped;
        using (var outer = TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin())
            {
                kept = inner.Keep(x.Exp());
                keptTwice = inner.Keep(x.Sigmoid());
                dropped = x.Tanh();
            }
            Refused(() => dropped.ToArray());
            Assert.Equal(x.Exp().ToArray(), kept.ToArray());   // alive in the outer scope
            outer.Keep(keptTwice);
        }
        Refused(() => kept.ToArray());
        Assert.Equal(x.Sigmoid().ToArray(), keptTwice.ToArray());   // out of every scope: an ordinary tensor now
        // A view of a kept tensor shares its life.
        Tensor<double> view;
        using (var scope = TensorScope.Begin()) view = scope.Keep(x.Exp()).Reshape(2, 2);
        Assert.Equal(x.Exp().ToArray(), view.ToArray());
    }

    [Fact]
    public void Disposing_an_outer_scope_ends_the_scopes_begun_inside_it()
    {
        var x = Data(6, 4);
        var outer = TensorScope.Begin();
        var inner = TensorScope.Begin();
        var y = x.Exp();
        outer.Dispose();
        Assert.Null(TensorScope.Current);
        Refused(() => y.ToArray());
        inner.Dispose();   // already ended: nothing happens
        Assert.Null(TensorScope.Current);
        Assert.Equal(x.Exp().ToArray(), x.Exp().ToArray());   // no scope open: results are ordinary tensors
    }

    [Fact]
    public void Created_tensors_parameters_gradients_and_earlier_results_are_never_released()
    {
        var before = Data(7, 3).Exp();
        var own = new double[] { 1, 2, 3 };
        Tensor<double> zeros, wrapped, copied, param, leaf;
        using (TensorScope.Begin())
        {
            zeros = Tensor<double>.Zeros(3);
            wrapped = new Tensor<double>(own, 3);
            copied = Tensor<double>.FromArray(own);
            param = (Data(8, 3) * 0.1).RequireGrad();   // an op result made a parameter
            leaf = Data(9, 3).RequireGrad();
            var loss = (param * leaf * before).Sum();
            loss.Backward();
        }
        Assert.Equal([0.0, 0, 0], zeros.ToArray());
        Assert.Equal(own, wrapped.ToArray());
        Assert.Equal(own, copied.ToArray());
        Assert.Equal(3, param.ToArray().Length);
        Assert.Equal((leaf * before).ToArray(), param.Grad!.ToArray());
        Assert.Equal((param * before).ToArray(), leaf.Grad!.ToArray());
        Assert.Equal(3, before.ToArray().Length);
    }

    [Fact]
    public void A_scope_must_end_on_its_own_thread()
    {
        var scope = TensorScope.Begin();
        try
        {
            Exception? thrown = null;
            var other = new Thread(() => { try { scope.Dispose(); } catch (Exception e) { thrown = e; } });
            other.Start();
            other.Join();
            Assert.IsType<NablaException>(thrown);
            Assert.Same(scope, TensorScope.Current);
        }
        finally { scope.Dispose(); }
        Assert.Null(TensorScope.Current);
    }

    [Fact]
    public void A_loop_of_large_ops_in_a_scope_reuses_its_arrays()
    {
        BufferPool<double>.Poison = false;
        BufferPool<double>.MinLength = 0;
        var x = Data(10, 1 << 16);
        void Step() { using (TensorScope.Begin()) _ = ((x * x).Exp() + x).Sigmoid(); }
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 20;
        // Without the scope each step allocates four 512 KB arrays; with it only the small objects remain.
        Assert.True(perStep < 8 * 1024, $"{perStep} bytes per step");
    }

    [Fact]
    public void Training_with_a_scope_per_step_gives_the_same_bits_as_without()
    {
        var plain = Train(scoped: false);
        long returned = BufferPool<double>.Returned;
        var scoped = Train(scoped: true);
        Assert.True(BufferPool<double>.Returned - returned > 100, "the scopes should return arrays (poisoned with NaN) to the pool");
        Assert.Equal(plain.Select(BitConverter.DoubleToInt64Bits), scoped.Select(BitConverter.DoubleToInt64Bits));
        BufferPool<double>.Disabled = true;
        var off = Train(scoped: true);
        Assert.Equal(plain.Select(BitConverter.DoubleToInt64Bits), off.Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>
    /// Ten steps of a hand-written two-layer network (element-wise ops and MatMul) and of a Sequential with Adam: the losses,
    /// a NoGrad evaluation kept out of each step's scope, and the final weights.
    /// </summary>
    static List<double> Train(bool scoped)
    {
        var rs = new RandomState(4);
        var x = new Tensor<double>(rs.Normal(0, 1, 8, 5), 8, 5);
        var target = new Tensor<double>(rs.Normal(0, 1, 8, 3), 8, 3);
        var w1 = new Tensor<double>(rs.Normal(0, 0.5, 5, 6), 5, 6).RequireGrad();
        var w2 = new Tensor<double>(rs.Normal(0, 0.5, 6, 3), 6, 3).RequireGrad();
        var net = Mlp.Create<double>([5, 7, 3], "tanh", new RandomState(3));
        var adam = new Nabla.Optim.Adam<double>(net.Parameters(), 0.01);
        var seen = new List<double>();
        for (int step = 0; step < 10; step++)
        {
            var scope = scoped ? TensorScope.Begin() : null;
            var h = (x.MatMul(w1) * 0.5).Tanh() + x.MatMul(w1).Sigmoid();
            var diff = h.MatMul(w2) - target;
            var loss = (diff * diff).Mean();
            w1.Grad = null;
            w2.Grad = null;
            loss.Backward();
            using (NoGrad.Scope())
            {
                w1.SubtractScaledInPlace(0.1, w1.Grad!);
                w2.SubtractScaledInPlace(0.1, w2.Grad!);
            }
            adam.ZeroGrad();
            var loss2 = Loss.Mse(net.Forward(x), target);
            loss2.Backward();
            adam.Step();
            seen.Add(loss.ToScalar());
            seen.Add(loss2.ToScalar());
            Tensor<double> eval;
            using (NoGrad.Scope()) eval = (net.Forward(x) - target).Abs();
            if (scope is not null) scope.Keep(eval);
            scope?.Dispose();
            seen.AddRange(eval.ToArray());
        }
        seen.AddRange(w1.ToArray());
        seen.AddRange(w2.ToArray());
        foreach (var p in net.Parameters()) seen.AddRange(p.ToArray());
        return seen;
    }
}
