using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Nabla.Kernels;
using Nabla.Losses;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// W3/W4, the counterpart of /work/shared/bench/torch_mlp.py and numpy_mlp.py: MLP 784-512-256-10, ReLU, softmax
/// cross-entropy (mean), SGD lr 0.01, batch 256 in data order, one epoch over the exact data and initial weights of
/// mlp_common.py (NumPy's legacy generator, ported with <see cref="RandomState"/>). Written with the public API as a
/// user would: <see cref="Mlp.Create{T}"/>, <see cref="Loss.CrossEntropy{T}(Tensor{T}, ReadOnlySpan{int}, Reduction)"/>,
/// <see cref="Sgd{T}"/>. Only the epoch is timed. Prints the peers' lines and
/// <c>RESULT name=nabla_mlp_float32 seconds=… samples_per_s=…</c>.
/// </summary>
internal static class MlpWorkload
{
    const int N = 60000, DIn = 784, Batch = 256, Chunk = 4096;
    static readonly int[] Sizes = [784, 512, 256, 10];

    /// <summary>
    /// Multiply-adds ×2 per sample of one training step: forward x·Wᵀ per layer, backward dW per layer and dX for every
    /// layer but the first (its input needs no gradient): 2·(784·512 + 512·256 + 256·10)·2 + 2·(512·256 + 256·10).
    /// </summary>
    static readonly double FlopsPerSample = 4.0 * (784 * 512 + 512 * 256 + 256 * 10) + 2.0 * (512 * 256 + 256 * 10);

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
        var (x, labels, init) = MakeDataAndInit<T>();
        var model = Mlp.Create<T>(Sizes);
        var parameters = model.Parameters();
        for (int l = 0; l < init.Length; l++)
        {
            // mlp_common stores W input-major [in, out]; Linear's weight is [out, in] as PyTorch's.
            var (w, b) = init[l];
            parameters[2 * l].CopyFrom(new Tensor<double>(w, Sizes[l], Sizes[l + 1]).Transpose().To<T>());
            parameters[2 * l + 1].CopyFrom(new Tensor<double>(b, Sizes[l + 1]).To<T>());
        }
        var sgd = new Sgd<T>(parameters, 0.01);
        double initLoss = FullLoss(model, x, labels).Loss;

        var losses = new List<double>(N / Batch + 1);
        var phases = new long[4];
        var pause0 = GC.GetTotalPauseDuration();
        long alloc0 = GC.GetTotalAllocatedBytes(), gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        long step5 = 0, step25 = 0;
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0, step = 0; i < N; i += Batch, step++)
        {
            // Steady-state allocation: this thread's bytes over steps 5..24 (after 5 warm-up steps), a cheap counter read.
            if (step == 5) step5 = GC.GetAllocatedBytesForCurrentThread();
            if (step == 25) step25 = GC.GetAllocatedBytesForCurrentThread();
            int end = Math.Min(i + Batch, N);
            long a = Stopwatch.GetTimestamp();
            var loss = Loss.CrossEntropy(model.Forward(x.Slice(0, i, end)), labels.AsSpan(i, end - i));
            long b = Stopwatch.GetTimestamp();
            sgd.ZeroGrad();
            long c = Stopwatch.GetTimestamp();
            loss.Backward();
            long d = Stopwatch.GetTimestamp();
            sgd.Step();
            long e = Stopwatch.GetTimestamp();
            phases[0] += b - a; phases[1] += c - b; phases[2] += d - c; phases[3] += e - d;
            losses.Add(double.CreateChecked(loss.ToScalar()));
        }
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch phases (s): forward+loss {phases[0] / (double)Stopwatch.Frequency:F3} zero_grad {phases[1] / (double)Stopwatch.Frequency:F3} backward {phases[2] / (double)Stopwatch.Frequency:F3} step {phases[3] / (double)Stopwatch.Frequency:F3}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch: allocated {(GC.GetTotalAllocatedBytes() - alloc0) / 1e6:F0} MB, GCs gen0 {GC.CollectionCount(0) - gen0} gen2 {GC.CollectionCount(2) - gen2}, GC pause {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds:F0} ms"));

        long stepBytes = (step25 - step5) / 20;
        double gflops = N * FlopsPerSample / seconds / 1e9;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"steady-state step allocates {stepBytes} bytes (steps 5-24, this thread); {FlopsPerSample / 1e6:F3} MFLOP per sample, {gflops:F1} GFLOP/s achieved"));

        var (fullLoss, fullAcc) = FullLoss(model, x, labels);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"initial full-data loss {initLoss:G9}"));
        output.WriteLine(string.Create(inv, $"batch losses: first {losses[0]:G9}  last {losses[^1]:G9}  epoch mean {losses.Average():G9}"));
        output.WriteLine(string.Create(inv, $"after epoch: full-data loss {fullLoss:G9} accuracy {fullAcc:F4}"));
        output.WriteLine(string.Create(inv,
            $"RESULT name=nabla_mlp_{dtype} seconds={seconds:F3} samples_per_s={N / seconds:F0} final_batch_loss={losses[^1]:G6} epoch_mean_loss={losses.Average():G6} full_loss={fullLoss:G6} full_acc={fullAcc:F4} gemm_threads={Gemm.MaxThreads} gflops={gflops:F1} step_alloc_bytes={stepBytes}"));
        return 0;
    }

    /// <summary>Mean cross-entropy and accuracy over all N samples, evaluated in chunks under no-grad.</summary>
    static (double Loss, double Accuracy) FullLoss<T>(Module<T> model, Tensor<T> x, int[] labels) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var _ = NoGrad.Scope();
        double total = 0;
        int correct = 0;
        for (int i = 0; i < N; i += Chunk)
        {
            int end = Math.Min(i + Chunk, N);
            var logits = model.Forward(x.Slice(0, i, end));
            total += double.CreateChecked(Loss.CrossEntropy(logits, labels.AsSpan(i, end - i), Reduction.Sum).ToScalar());
            var predicted = logits.ArgMax(1).ToArray();
            for (int r = 0; r < predicted.Length; r++) if (int.CreateChecked(predicted[r]) == labels[i + r]) correct++;
        }
        return (total / N, correct / (double)N);
    }

    /// <summary>
    /// mlp_common.make_data_and_init, drawn a row at a time so the float64 X never exists whole: X is drawn (and cast) row
    /// by row, then M; labels = argmax(X·M) in float64 need X again, so a second generator replays X's stream.
    /// </summary>
    static (Tensor<T> X, int[] Labels, (double[] W, double[] B)[] Init) MakeDataAndInit<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rs = new RandomState(0);
        var x = new T[N * DIn];
        for (int i = 0; i < N; i++)   // a row at a time: small arrays the GC reclaims at once, never a 376 MB float64 X
        {
            var row = rs.StandardNormal(DIn);
            for (int j = 0; j < DIn; j++) x[i * DIn + j] = T.CreateTruncating(row[j]);
        }
        var m = rs.StandardNormal(DIn, 10);
        var init = new (double[] W, double[] B)[Sizes.Length - 1];
        for (int l = 0; l < init.Length; l++)
        {
            double bound = 1.0 / Math.Sqrt(Sizes[l]);
            init[l] = (rs.Uniform(-bound, bound, Sizes[l], Sizes[l + 1]), rs.Uniform(-bound, bound, Sizes[l + 1]));
        }

        var replay = new RandomState(0);
        var labels = new int[N];
        var mt = new Tensor<double>(m, DIn, 10);
        using (NoGrad.Scope())
            for (int i = 0; i < N; i += Chunk)
            {
                int rows = Math.Min(Chunk, N - i);
                var chunk = new double[rows * DIn];
                for (int r = 0; r < rows; r++) replay.StandardNormal(DIn).CopyTo(chunk, r * DIn);
                var scores = new Tensor<double>(chunk, rows, DIn).MatMul(mt).ArgMax(1).ToArray();
                for (int r = 0; r < rows; r++) labels[i + r] = (int)scores[r];
            }
        return (new Tensor<T>(x, N, DIn), labels, init);
    }
}
