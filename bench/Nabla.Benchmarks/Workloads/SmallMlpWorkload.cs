using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Nabla.Losses;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// W7, small batches (the default <c>nabla train</c> case), the counterpart of /work/shared/bench/torch_small_mlp.py and
/// the TorchSharp peer's <c>small</c> command: MLP 30-64-64-1 (ReLU), binary cross-entropy on logits (mean), plain SGD
/// lr 0.05, batch 32 in data order, one epoch over 20 000 synthetic rows drawn with the peer's recipe (RandomState(7):
/// X, v, labels s = X·v + 2 sin(x0·x1) &gt; 0, then per layer W (in, out) and b). Written with the public API as README's
/// library example: <see cref="Mlp.Create{T}"/>, <see cref="Loss.BinaryCrossEntropyWithLogits{T}"/>, <see cref="Sgd{T}"/>.
/// Only the epoch is timed. Also prints the bytes a steady-state step allocates (20 steps after 5 warm-up steps, on this
/// thread, before the timed epoch, on a copy of the model so the epoch starts from the peer's weights).
/// </summary>
internal static class SmallMlpWorkload
{
    const int N = 20000, DIn = 30, Batch = 32;
    const double LearningRate = 0.05;
    static readonly int[] Sizes = [30, 64, 64, 1];

    public static int Run(string[] args, TextWriter output)
    {
        string dtype = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "float32";
        return dtype switch
        {
            "float32" => Run<float>(dtype, output),
            "float64" => Run<double>(dtype, output),
            _ => throw new ArgumentException($"dtype must be float32 or float64, not '{dtype}'"),
        };
    }

    static int Run<T>(string dtype, TextWriter output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inv = CultureInfo.InvariantCulture;
        var (x, y, init) = MakeDataAndInit<T>();
        long stepBytes = SteadyStateStepBytes(x, y, init);

        var model = Model(init);
        var sgd = new Sgd<T>(model.Parameters(), LearningRate);
        double initLoss;
        using (NoGrad.Scope()) initLoss = double.CreateChecked(Loss.BinaryCrossEntropyWithLogits(model.Forward(x), y).ToScalar());

        var losses = new double[N / Batch];
        long alloc0 = GC.GetTotalAllocatedBytes(), gen0 = GC.CollectionCount(0);
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0, k = 0; i < N; i += Batch, k++)
        {
            var loss = Loss.BinaryCrossEntropyWithLogits(model.Forward(x.Slice(0, i, i + Batch)), y.Slice(0, i, i + Batch));
            sgd.ZeroGrad();
            loss.Backward();
            sgd.Step();
            losses[k] = double.CreateChecked(loss.ToScalar());
        }
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        output.WriteLine(string.Create(inv,
            $"epoch: allocated {(GC.GetTotalAllocatedBytes() - alloc0) / 1e6:F1} MB, gen0 GCs {GC.CollectionCount(0) - gen0}; steady-state step allocates {stepBytes} bytes"));

        double fullLoss, fullAcc;
        using (NoGrad.Scope())
        {
            var logits = model.Forward(x);
            fullLoss = double.CreateChecked(Loss.BinaryCrossEntropyWithLogits(logits, y).ToScalar());
            var z = logits.ToArray();
            var labels = y.ToArray();
            int correct = 0;
            for (int r = 0; r < N; r++) if ((z[r] > T.Zero ? T.One : T.Zero) == labels[r]) correct++;
            fullAcc = correct / (double)N;
        }
        output.WriteLine(string.Create(inv, $"initial full-data loss {initLoss:G9}"));
        output.WriteLine(string.Create(inv, $"batch losses: first {losses[0]:G9}  last {losses[^1]:G9}  epoch mean {losses.Average():G9}"));
        output.WriteLine(string.Create(inv, $"after epoch: full-data loss {fullLoss:G9} accuracy {fullAcc:F4}"));
        output.WriteLine(string.Create(inv,
            $"RESULT name=nabla_small_mlp_{dtype} seconds={seconds:F4} samples_per_s={N / seconds:F0} final_batch_loss={losses[^1]:G6} epoch_mean_loss={losses.Average():G6} full_loss={fullLoss:G6} full_acc={fullAcc:F4} step_alloc_bytes={stepBytes}"));
        return 0;
    }

    /// <summary>The network with the peer's initial weights (drawn (in, out), stored as Linear's (out, in)).</summary>
    static Sequential<T> Model<T>((double[] W, double[] B)[] init) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = Mlp.Create<T>(Sizes);
        var parameters = model.Parameters();
        for (int l = 0; l < init.Length; l++)
        {
            parameters[2 * l].CopyFrom(new Tensor<double>(init[l].W, Sizes[l], Sizes[l + 1]).Transpose().To<T>());
            parameters[2 * l + 1].CopyFrom(new Tensor<double>(init[l].B, Sizes[l + 1]).To<T>());
        }
        return model;
    }

    /// <summary>Bytes this thread allocates over 20 training steps after 5 warm-up steps, divided by 20.</summary>
    static long SteadyStateStepBytes<T>(Tensor<T> x, Tensor<T> y, (double[] W, double[] B)[] init) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = Model(init);
        var sgd = new Sgd<T>(model.Parameters(), LearningRate);
        long before = 0;
        for (int s = 0; s < 25; s++)
        {
            if (s == 5) before = GC.GetAllocatedBytesForCurrentThread();
            int i = s * Batch;
            var loss = Loss.BinaryCrossEntropyWithLogits(model.Forward(x.Slice(0, i, i + Batch)), y.Slice(0, i, i + Batch));
            sgd.ZeroGrad();
            loss.Backward();
            sgd.Step();
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 20;
    }

    /// <summary>torch_small_mlp.make_data_and_init: X and v from RandomState(7), labels from s = X·v + 2 sin(x0·x1), then the layers.</summary>
    static (Tensor<T> X, Tensor<T> Y, (double[] W, double[] B)[] Init) MakeDataAndInit<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rs = new RandomState(7);
        var x = rs.StandardNormal(N, DIn);
        var v = rs.StandardNormal(DIn);
        var y = new T[N];
        for (int r = 0; r < N; r++)
        {
            double s = 0;
            for (int j = 0; j < DIn; j++) s += x[r * DIn + j] * v[j];
            s += 2.0 * Math.Sin(x[r * DIn] * x[r * DIn + 1]);
            y[r] = s > 0 ? T.One : T.Zero;
        }
        var init = new (double[] W, double[] B)[Sizes.Length - 1];
        for (int l = 0; l < init.Length; l++)
        {
            double bound = 1.0 / Math.Sqrt(Sizes[l]);
            init[l] = (rs.Uniform(-bound, bound, Sizes[l], Sizes[l + 1]), rs.Uniform(-bound, bound, Sizes[l + 1]));
        }
        var xt = new T[x.Length];
        for (int i = 0; i < x.Length; i++) xt[i] = T.CreateTruncating(x[i]);
        return (new Tensor<T>(xt, N, DIn), new Tensor<T>(y, N, 1), init);
    }
}
