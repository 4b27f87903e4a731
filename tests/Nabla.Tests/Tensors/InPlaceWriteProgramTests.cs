using Nabla.Nn;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Random programs of ops, views and in-place writes followed by Backward. The property: a program either is refused
/// (a NablaException naming a saved tensor) or gives exactly the gradients of the same program in which every use of
/// a data tensor reads a private copy taken at that moment, so no write can reach what a rule saved. The reference
/// never throws. Over the seeds both outcomes must occur, so the property cannot hold by refusing everything.
/// With the pool on, the same programs also run inside TensorScopes (an outer one around the program and its Backward,
/// an inner one around each NoGrad data step that keeps its result): same refusals, same bits, and afterwards every
/// released result refuses to be read.
/// </summary>
public class InPlaceWriteProgramTests
{
    const int Seeds = 300, Steps = 8;
    [ThreadStatic] static int released;

    [Fact]
    public void The_gradient_pool_changes_no_bit_and_no_refusal()
    {
        // Pool on (every size pooled, returned buffers poisoned with NaN) against pool off: identical outcomes.
        int pooledRuns = 0;
        released = 0;
        long returned = BufferPool<double>.Returned;
        for (int seed = 0; seed < Seeds; seed++)
        {
            (List<double[]> Grads, string? Error) on, off;
            try
            {
                BufferPool<double>.MinLength = 1;
                BufferPool<double>.Poison = true;
                on = Run(seed, copyOnUse: false);
                var scoped = Run(seed, copyOnUse: false, scoped: true);
                Assert.Equal(on.Error, scoped.Error);
                Assert.Equal(on.Grads.Count, scoped.Grads.Count);
                for (int i = 0; i < on.Grads.Count; i++)
                    Assert.Equal(on.Grads[i].Select(BitConverter.DoubleToInt64Bits), scoped.Grads[i].Select(BitConverter.DoubleToInt64Bits));
                BufferPool<double>.Disabled = true;
                off = Run(seed, copyOnUse: false);
            }
            finally
            {
                BufferPool<double>.Disabled = false;
                BufferPool<double>.Poison = false;
                BufferPool<double>.MinLength = 0;
            }
            Assert.Equal(off.Error, on.Error);
            Assert.Equal(off.Grads.Count, on.Grads.Count);
            for (int i = 0; i < on.Grads.Count; i++)
                Assert.Equal(off.Grads[i].Select(BitConverter.DoubleToInt64Bits), on.Grads[i].Select(BitConverter.DoubleToInt64Bits));
            if (on.Error is null) pooledRuns++;
        }
        Assert.True(pooledRuns > 10);
        Assert.True(released > 100, $"only {released} results were released by the scopes");
        Assert.True(BufferPool<double>.Returned - returned > 1000, "the programs should return arrays to the pool");
    }

    [Fact]
    public void Every_program_is_refused_or_gives_the_gradient_of_its_values_at_use_time()
    {
        int refused = 0, ran = 0;
        for (int seed = 0; seed < Seeds; seed++)
        {
            var actual = Run(seed, copyOnUse: false);
            var expected = Run(seed, copyOnUse: true);
            Assert.True(expected.Error is null, $"seed {seed}: the reference program threw {expected.Error}");
            if (actual.Error is not null)
            {
                Assert.Contains("saved for its gradient", actual.Error);
                refused++;
                continue;
            }
            ran++;
            Assert.True(expected.Grads.Zip(actual.Grads).All(p => p.First.SequenceEqual(p.Second)),
                $"seed {seed}: the gradient differs from the program's values at use time (a silent wrong gradient)");
        }
        Assert.True(refused > 10 && ran > 10, $"{refused} refused, {ran} ran: the programs should exercise both outcomes");
    }

    /// <summary>Builds and differentiates program <paramref name="seed"/>; returns the leaves' gradients or the error.</summary>
    static (List<double[]> Grads, string? Error) Run(int seed, bool copyOnUse, bool scoped = false)
    {
        var outer = scoped ? TensorScope.Begin() : null;
        var made = new List<Tensor<double>>();
        try { return Program(seed, copyOnUse, made); }
        finally
        {
            outer?.Dispose();
            // After the scope, a result it released refuses every read; the others (views of leaves, reductions) still read.
            foreach (var t in made)
                if (!t.IsReleased) t.ToArray();
                else
                {
                    released++;
                    Assert.Contains("released when its TensorScope ended", Assert.Throws<NablaException>(() => t.ToArray()).Message);
                }
        }
    }

    static (List<double[]> Grads, string? Error) Program(int seed, bool copyOnUse, List<Tensor<double>> made)
    {
        var rng = new Random(seed);
        var w = new[] { Values(rng, 1).RequireGrad(), Values(rng, 2).RequireGrad() };
        // Built-in layers in a row: the activations between them are private and go back to the pool (rule 4).
        var net = new Sequential<double>(new Linear<double>(3, 4), new ReLU<double>(), new Linear<double>(4, 4), new Tanh<double>(),
            new ReLU<double>(), new Sigmoid<double>(), new Linear<double>(4, 3), new Sigmoid<double>());
        foreach (var p in net.Parameters())
            p.CopyFrom(new Tensor<double>([.. Enumerable.Range(0, p.ElementCount).Select(_ => Math.Round(rng.NextDouble() * 2 - 1, 3))], [.. p.Shape]));
        var data = new List<Tensor<double>> { Values(rng, 3), Values(rng, 4) };
        var live = new List<Tensor<double>> { w[0], w[1] };
        Tensor<double> Data(int i) => copyOnUse ? data[i].Clone() : data[i];
        try
        {
            for (int step = 0; step < Steps; step++)
            {
                var a = live[rng.Next(live.Count)];
                int d = rng.Next(data.Count);
                Tensor<double> y = rng.Next(13) switch
                {
                    11 => net.Forward(a) * Data(d),
                    12 => net.Forward(Data(d)) + a,
                    0 => a * Data(d),
                    1 => a + Data(d),
                    2 => a - Data(d),
                    3 => (a * Data(d)).Sigmoid(),
                    4 => a.Tanh() * Data(d),
                    5 => a.Transpose().MatMul(Data(d)).Sum(0, keepDims: true).Expand(2, 3),
                    6 => (a * Data(d).Reshape(3, 2).Transpose()).Exp(),
                    7 => a.Relu() * Data(d).Slice(1, 0, 3),
                    8 => Tensor<double>.Linear(a, Data(d).Transpose().MatMul(Data(d)), Data(d).Select(0, 1)),
                    9 => Tensor<double>.LinearActivation<Nabla.Ops.Tanh>(a, Data(d).Transpose().MatMul(Data(d)), null) * a,
                    _ => a / (Data(d).Abs() + 1.0),
                };
                live.Add(y);
                made.Add(y);
                if (rng.Next(3) == 0) Write(rng, data[rng.Next(data.Count)]);
                if (rng.Next(5) == 0)
                {
                    // A data tensor computed under NoGrad joins the pool; later writes to it must be caught too.
                    using var inner = TensorScope.Current is null ? null : TensorScope.Begin();
                    using (NoGrad.Scope())
                    {
                        var temporary = data[rng.Next(data.Count)].Exp();   // released with the inner scope, its array reused
                        made.Add(temporary);
                        var next = rng.Next(2) == 0 ? data[rng.Next(data.Count)] * 0.5 : net.Forward(data[rng.Next(data.Count)]);
                        data.Add(inner is null ? next : inner.Keep(next));
                    }
                }
            }
            var loss = live[^1].Sum() + live[^2].Sum();
            if (rng.Next(4) == 0) loss.Backward(retainGraph: true);   // a retained graph returns nothing; the second pass frees it
            loss.Backward();
            return (w.Concat(net.Parameters()).Select(t => t.Grad?.ToArray() ?? []).ToList(), null);
        }
        catch (NablaException e)
        {
            return ([], e.Message);
        }
    }

    /// <summary>One in-place write through a public path: on the tensor itself, on a view of it, or on its Detach().</summary>
    static void Write(Random rng, Tensor<double> x)
    {
        switch (rng.Next(8))
        {
            case 0: x.ReluInPlace(); break;
            case 1: x.Fill(0.25); break;
            case 2: x[1, 2] = -3; break;
            case 3: x.AsSpan()[0] = 7; break;
            case 4: x.Reshape(6).SigmoidInPlace(); break;
            case 5: x.Detach().CopyFrom(Tensor<double>.Ones(3)); break;
            case 6: Tensor<double>.Multiply(x, Tensor<double>.Full(0.5, 3), into: x); break;
            default: x.Transpose().SubtractScaledInPlace(0.5, Tensor<double>.Ones(3, 2)); break;
        }
    }

    static Tensor<double> Values(Random rng, int salt) =>
        new(Enumerable.Range(0, 6).Select(i => Math.Round(rng.NextDouble() * 4 - 2, 3) + salt * 1e-3).ToArray(), 2, 3);
}
