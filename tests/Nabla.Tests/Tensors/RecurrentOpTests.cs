using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// The fused recurrent layer ops: agreement with the plain step-by-step composition of Linear, Sigmoid and Tanh,
/// refusals that name both shapes, a graph kept with retainGraph, and allocation that does not grow per time step.
/// (Gradients against central differences, forward mode and second derivatives run from the op table.)
/// </summary>
public sealed class RecurrentOpTests
{
    private static Tensor<double> Random(RandomState rng, params int[] shape) => new(rng.Uniform(-1, 1, Shapes.ElementCount(shape)), shape);

    /// <summary>The LSTM written out one step at a time with ordinary ops, PyTorch's equations, batch-first input.</summary>
    private static (Tensor<double> Output, Tensor<double> C) PlainLstm(Tensor<double> x, Tensor<double> wih, Tensor<double> whh,
        Tensor<double> bih, Tensor<double> bhh, Tensor<double> h, Tensor<double> c)
    {
        int H = whh.Shape[1];
        var steps = new List<Tensor<double>>();
        for (int t = 0; t < x.Shape[1]; t++)
        {
            var a = Tensor<double>.Linear(x.Select(1, t), wih, bih) + Tensor<double>.Linear(h, whh, bhh);
            var i = a.Slice(1, 0, H).Sigmoid();
            var f = a.Slice(1, H, 2 * H).Sigmoid();
            var g = a.Slice(1, 2 * H, 3 * H).Tanh();
            var o = a.Slice(1, 3 * H, 4 * H).Sigmoid();
            c = f * c + i * g;
            h = o * c.Tanh();
            steps.Add(h);
        }
        // Stack along the time axis: out[n, t, :] = steps[t][n, :].
        var output = Tensor<double>.Zeros(x.Shape[0], x.Shape[1], H);
        for (int t = 0; t < steps.Count; t++) output = output + steps[t].Unsqueeze(1) * OneHot(x.Shape[1], t);
        return (output, c);
    }

    private static Tensor<double> OneHot(int steps, int t)
    {
        var v = new double[steps];
        v[t] = 1;
        return new Tensor<double>(v, 1, steps, 1);
    }

    [Fact]
    public void Lstm_matches_the_plain_composition_in_value_and_gradient()
    {
        var rng = new RandomState(3);
        int N = 3, T = 7, In = 5, H = 11;
        Tensor<double>[] inputs = [Random(rng, N, T, In), Random(rng, 4 * H, In), Random(rng, 4 * H, H), Random(rng, 4 * H), Random(rng, 4 * H), Random(rng, N, H), Random(rng, N, H)];
        var upstream = Random(rng, N, T, H);
        var upstreamC = Random(rng, N, H);

        double[][] Run(bool fused)
        {
            var leaves = inputs.Select(t => t.Detach().RequireGrad()).ToArray();
            var (y, c) = fused
                ? Tensor<double>.LstmLayer(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], leaves[6], batchFirst: true)
                : PlainLstm(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], leaves[6]);
            ((y * upstream).Sum() + (c * upstreamC).Sum()).Backward();
            return [y.ToArray(), c.ToArray(), .. leaves.Select(l => l.Grad!.ToArray())];
        }

        var fusedResult = Run(true);
        var plainResult = Run(false);
        for (int k = 0; k < fusedResult.Length; k++)
            for (int i = 0; i < fusedResult[k].Length; i++)
                Assert.True(Math.Abs(fusedResult[k][i] - plainResult[k][i]) <= 1e-12 * (1 + Math.Abs(plainResult[k][i])),
                    $"part {k} element {i}: fused {fusedResult[k][i]:R}, plain {plainResult[k][i]:R}");
    }

    /// <summary>
    /// At N·H ≥ 4096 a step's cell pass is split over the workers; each batch row must still get exactly what it gets
    /// alone (batch of one, one thread), and the weight gradient must be the sum of the per-row ones.
    /// </summary>
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void Splitting_the_batch_over_workers_gives_the_per_sample_results(string kind)
    {
        const int T = 3, N = 64, In = 5, H = 64;
        int gates = (kind == "lstm" ? 4 : 3) * H;
        var rng = new RandomState(6);
        var x = Random(rng, T, N, In);
        var h0 = Random(rng, N, H);
        var dy = Random(rng, T, N, H);
        var w = Random(rng, gates, In);
        var u = Random(rng, gates, H);
        var b = Random(rng, gates);
        (double[] Y, double[] Dx, double[] Du) Run(int lo, int count)
        {
            var xs = x.Slice(1, lo, lo + count).Contiguous().RequireGrad();
            var uu = u.Detach().RequireGrad();
            var hs = h0.Slice(0, lo, lo + count).Contiguous();
            var y = kind == "lstm" ? Tensor<double>.LstmLayer(xs, w, uu, b, b, hs, hs).Output : Tensor<double>.GruLayer(xs, w, uu, b, b, hs);
            y.Backward(dy.Slice(1, lo, lo + count).Contiguous());
            return (y.ToArray(), xs.Grad!.ToArray(), uu.Grad!.ToArray());
        }
        var whole = Run(0, N);
        var du = new double[gates * H];
        for (int n = 0; n < N; n++)
        {
            var one = Run(n, 1);
            for (int t = 0; t < T; t++)
            {
                for (int j = 0; j < H; j++) Assert.Equal(one.Y[t * H + j], whole.Y[(t * N + n) * H + j], 1e-13);
                for (int j = 0; j < In; j++) Assert.Equal(one.Dx[t * In + j], whole.Dx[(t * N + n) * In + j], 1e-13);
            }
            for (int j = 0; j < du.Length; j++) du[j] += one.Du[j];
        }
        for (int j = 0; j < du.Length; j++) Assert.Equal(du[j], whole.Du[j], 1e-10);
    }

    [Fact]
    public void A_retained_graph_runs_backward_twice_with_the_same_gradients()
    {
        var rng = new RandomState(4);
        var x = Random(rng, 4, 2, 3).RequireGrad();
        var w = Random(rng, 6, 3).RequireGrad();
        var u = Random(rng, 6, 2).RequireGrad();
        var loss = Tensor<double>.GruLayer(x, w, u, null, null).Sin().Sum();
        loss.Backward(retainGraph: true);
        var first = u.Grad!.ToArray();
        u.Grad = null;
        loss.Backward();
        Assert.Equal(first, u.Grad!.ToArray());
        Assert.Throws<NablaException>(() => loss.Backward());
    }

    [Fact]
    public void Wrong_shapes_are_refused_with_both_shapes_named()
    {
        var x = Tensor<double>.Zeros(5, 2, 3);
        var wih = Tensor<double>.Zeros(8, 3);
        var whh = Tensor<double>.Zeros(8, 2);
        var e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.LstmLayer(Tensor<double>.Zeros(5, 2, 4), wih, whh, null, null));
        Assert.Equal("weightIh", e.Parameter);
        Assert.Contains("(8, 3)", e.Message);
        Assert.Contains("(5, 2, 4)", e.Message);

        e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.LstmLayer(x, wih, whh, null, null, h0: Tensor<double>.Zeros(3, 2)));
        Assert.Equal("h0", e.Parameter);
        Assert.Contains("(3, 2)", e.Message);
        Assert.Contains("(5, 2, 3)", e.Message);
        Assert.Contains("expected (2, 2)", e.Message);

        e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.LstmLayer(x, wih, whh, null, null, c0: Tensor<double>.Zeros(2, 3)));
        Assert.Equal("c0", e.Parameter);
        e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.GruLayer(x, wih, whh, null, null));
        Assert.Equal("weightHh", e.Parameter);
        Assert.Contains("[3·H, H]", e.Message);
        Assert.Contains("(8, 2)", e.Message);
        e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.RnnLayer(x, Tensor<double>.Zeros(2, 3), Tensor<double>.Zeros(2, 2), Tensor<double>.Zeros(3), null));
        Assert.Equal("biasIh", e.Parameter);
        Assert.Contains("(3,)", e.Message);
        e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.RnnLayer(Tensor<double>.Zeros(6, 3), Tensor<double>.Zeros(2, 3), Tensor<double>.Zeros(2, 2), null, null));
        Assert.Equal("input", e.Parameter);
        Assert.Contains("(6, 3)", e.Message);
        e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.RnnLayer(Tensor<double>.Zeros(0, 2, 3), Tensor<double>.Zeros(2, 3), Tensor<double>.Zeros(2, 2), null, null));
        Assert.Contains("no time steps", e.Message);
    }

    /// <summary>
    /// Bytes one forward and backward allocate, pooling off so every array is counted: between a short and a long sequence
    /// the difference must be exactly the sequence-sized arrays (output, its gradient buffer where a view hands it back,
    /// the input's gradient), so a single object allocated per step (24 bytes or more) fails the test.
    /// </summary>
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void Forward_and_backward_allocate_nothing_per_time_step(string kind)
    {
        const int N = 2, In = 3, H = 8, Short = 4, Long = 68;
        int gates = kind switch { "lstm" => 4, "gru" => 3, _ => 1 } * H;
        var rng = new RandomState(5);
        var w = Random(rng, gates, In).RequireGrad();
        var u = Random(rng, gates, H).RequireGrad();
        var b = Random(rng, gates).RequireGrad();
        long Bytes(int steps)
        {
            var x = Random(rng, steps, N, In).RequireGrad();
            var dy = Random(rng, steps, N, H);
            return AllocationMeasure.Least(() =>
            {
                x.Grad = null;
                var y = kind switch
                {
                    "lstm" => Tensor<double>.LstmLayer(x, w, u, b, b).Output,
                    "gru" => Tensor<double>.GruLayer(x, w, u, b, b),
                    _ => Tensor<double>.RnnLayer(x, w, u, b, b),
                };
                y.Backward(dy);
            }, attempts: 4);
        }
        bool disabled = BufferPool<double>.Disabled;
        BufferPool<double>.Disabled = true;
        try
        {
            Bytes(Short);   // warm up the JIT and ArrayPool
            double perStep = (Bytes(Long) - Bytes(Short)) / (double)(Long - Short);
            // Per step: the output row block (N·H), the LSTM's packed-output gradient made by the slice view (N·H), dX (N·In).
            double expected = sizeof(double) * (N * H * (kind == "lstm" ? 2 : 1) + N * In);
            Assert.True(Math.Abs(perStep - expected) < 8, $"{kind}: {perStep:F1} bytes per time step, expected {expected} (the sequence-sized arrays only)");
        }
        finally { BufferPool<double>.Disabled = disabled; }
    }
}
