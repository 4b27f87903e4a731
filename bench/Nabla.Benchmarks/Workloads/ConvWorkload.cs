using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// W8, a LeNet-5-shaped convolutional network, the counterpart of /work/shared/bench/torch_conv.py: conv 1→6 5×5, ReLU,
/// max-pool 2, conv 6→16 5×5, ReLU, max-pool 2, flatten (256), linear 120, ReLU, linear 84, ReLU, linear 10; softmax
/// cross-entropy (mean); plain SGD lr 0.05; batch 64 in data order; one epoch over 10 000 synthetic 28×28 images. Data
/// and initial weights follow the peer's recipe exactly (RandomState(3): X, M, labels = argmax(X·M), then per layer W and
/// b from U(±1/√fan_in); linear weights drawn (in, out) and stored transposed), so losses match the peer's. Only the
/// epoch is timed; the bytes a steady-state step allocates (steps 5 to 24, all threads) and the process CPU time over the
/// epoch are printed too.
/// </summary>
internal static class ConvWorkload
{
    const int N = 10000, Side = 28, Batch = 64;
    const double LearningRate = 0.05;

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
        var (x, labels, model) = MakeDataAndModel<T>();
        var sgd = new Sgd<T>(model.Parameters(), LearningRate);
        double initLoss;
        using (NoGrad.Scope()) initLoss = double.CreateChecked(Tensor<T>.CrossEntropy(model.Forward(x), labels).ToScalar());

        var losses = new double[(N + Batch - 1) / Batch];
        long alloc0 = GC.GetTotalAllocatedBytes(), gen0 = GC.CollectionCount(0);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        long stepAlloc0 = 0, stepBytes = 0;
        for (int i = 0, k = 0; i < N; i += Batch, k++)
        {
            // Steady-state allocation, every thread's: steps 5 to 24 (two counter reads inside the timed loop).
            if (k == 5) stepAlloc0 = GC.GetTotalAllocatedBytes(precise: true);
            if (k == 25) stepBytes = (GC.GetTotalAllocatedBytes(precise: true) - stepAlloc0) / 20;
            int end = Math.Min(i + Batch, N);
            var loss = Tensor<T>.CrossEntropy(model.Forward(x.Slice(0, i, end)), labels.AsSpan(i, end - i));
            sgd.ZeroGrad();
            loss.Backward();
            sgd.Step();
            losses[k] = double.CreateChecked(loss.ToScalar());
        }
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        // CPU time of the whole process over the epoch (every thread, idle spinning included): on a shared machine it moves
        // less with other load than the wall clock does.
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        output.WriteLine(string.Create(inv, $"epoch: allocated {(GC.GetTotalAllocatedBytes() - alloc0) / 1e6:F1} MB, gen0 GCs {GC.CollectionCount(0) - gen0}; steady-state step allocates {stepBytes} bytes"));

        double fullLoss, fullAcc;
        using (NoGrad.Scope())
        {
            var logits = model.Forward(x);
            fullLoss = double.CreateChecked(Tensor<T>.CrossEntropy(logits, labels).ToScalar());
            var z = logits.ToArray();
            int correct = 0;
            for (int r = 0; r < N; r++)
            {
                int best = 0;
                for (int c = 1; c < 10; c++) if (z[r * 10 + c] > z[r * 10 + best]) best = c;
                if (best == labels[r]) correct++;
            }
            fullAcc = correct / (double)N;
        }
        output.WriteLine(string.Create(inv, $"initial full-data loss {initLoss:G9}"));
        output.WriteLine(string.Create(inv, $"batch losses: first {losses[0]:G9}  last {losses[^1]:G9}  epoch mean {losses.Average():G9}"));
        output.WriteLine(string.Create(inv, $"after epoch: full-data loss {fullLoss:G9} accuracy {fullAcc:F4}"));
        output.WriteLine(string.Create(inv,
            $"RESULT name=nabla_conv_{dtype} seconds={seconds:F3} samples_per_s={N / seconds:F0} final_batch_loss={losses[^1]:G6} epoch_mean_loss={losses.Average():G6} full_loss={fullLoss:G6} full_acc={fullAcc:F4} step_alloc_bytes={stepBytes} cpu_seconds={cpuSeconds:F3} threads={Environment.ProcessorCount}"));
        return 0;
    }

    /// <summary>torch_conv.make_data_and_init, then the network with those weights.</summary>
    static (Tensor<T> X, int[] Labels, Sequential<T> Model) MakeDataAndModel<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rs = new RandomState(3);
        var x = rs.StandardNormal(N, 1, Side, Side);
        var m = rs.StandardNormal(Side * Side, 10);
        var labels = new int[N];
        var scores = new double[10];
        for (int r = 0; r < N; r++)
        {
            Array.Clear(scores);
            for (int j = 0; j < Side * Side; j++)
            {
                double v = x[r * Side * Side + j];
                for (int c = 0; c < 10; c++) scores[c] += v * m[j * 10 + c];
            }
            labels[r] = Array.IndexOf(scores, scores.Max());
        }
        var model = new Sequential<T>(
            new Conv2d<T>(1, 6, 5), new ReLU<T>(), new MaxPool2d<T>(2),
            new Conv2d<T>(6, 16, 5), new ReLU<T>(), new MaxPool2d<T>(2), new Flatten<T>(),
            new Linear<T>(256, 120), new ReLU<T>(), new Linear<T>(120, 84), new ReLU<T>(), new Linear<T>(84, 10));
        var parameters = model.Parameters();
        int[][] shapes = [[6, 1, 5, 5], [16, 6, 5, 5], [256, 120], [120, 84], [84, 10]];
        int[] fanIn = [25, 150, 256, 120, 84];
        for (int l = 0; l < shapes.Length; l++)
        {
            double bound = 1.0 / Math.Sqrt(fanIn[l]);
            var w = new Tensor<double>(rs.Uniform(-bound, bound, shapes[l]), shapes[l]);
            int outF = l < 2 ? shapes[l][0] : shapes[l][1];
            var b = new Tensor<double>(rs.Uniform(-bound, bound, outF), outF);
            parameters[2 * l].CopyFrom((l < 2 ? w : w.Transpose()).To<T>());
            parameters[2 * l + 1].CopyFrom(b.To<T>());
        }
        return (new Tensor<double>(x, N, 1, Side, Side).To<T>(), labels, model);
    }
}
