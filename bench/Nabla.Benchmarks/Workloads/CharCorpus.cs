using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nabla.Kernels;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// What the character-level language-model workloads (W10 GPT, W11 LSTM) share with their peers torch_gpt.py and
/// peers/torch_lstm.py: the corpus as token ids, the batches drawn before the loop, and the training run's timing and
/// printing (steps 1 … <see cref="Warmup"/> untimed, the rest timed; the losses of step 1, every 10th step and the last).
/// </summary>
internal static class CharCorpus
{
    /// <summary>The corpus both peers read by default.</summary>
    public const string DefaultPath = "/usr/share/common-licenses/GPL-3";

    /// <summary>Untimed warm-up steps, as in the peers.</summary>
    public const int Warmup = 10;

    /// <summary>
    /// The file decoded as strict UTF-8 (no BOM stripping, no newline translation), vocabulary = its distinct code points
    /// in ascending order, and each code point's index in it: Python's <c>sorted(set(text))</c> and <c>vocab.index(c)</c>.
    /// </summary>
    public static (int[] Data, int VocabSize) Load(string path)
    {
        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        var points = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes()) points.Add(rune.Value);
        var vocab = points.Distinct().Order().ToArray();
        var index = new Dictionary<int, int>(vocab.Length);
        for (int i = 0; i < vocab.Length; i++) index[vocab[i]] = i;
        var data = new int[points.Count];
        for (int i = 0; i < data.Length; i++) data[i] = index[points[i]];
        return (data, vocab.Length);
    }

    /// <summary>
    /// The peers' batches, drawn before the loop: RandomState(1), per step ix = randint(0, len − T − 1, size = B) (legacy
    /// int64 masked rejection), inputs x[b] = data[ix[b] .. ix[b] + T) as [B, T] and targets y[b] = the same window
    /// shifted by one, flattened to [B·T] for the cross-entropy.
    /// </summary>
    public static (IndexTensor[] Inputs, IndexTensor[] Targets) Batches(int[] data, int steps, int batch, int context)
    {
        if (data.Length < context + 2)
            throw new ArgumentException($"the corpus has {data.Length} tokens; a context of {context} needs at least {context + 2}");
        var rs = new RandomState(1);
        var xs = new IndexTensor[steps];
        var ys = new IndexTensor[steps];
        var x = new int[batch * context];
        var y = new int[batch * context];
        for (int s = 0; s < steps; s++)
        {
            var ix = rs.RandInt(0, data.Length - context - 1, batch);
            for (int b = 0; b < batch; b++)
            {
                data.AsSpan((int)ix[b], context).CopyTo(x.AsSpan(b * context));
                data.AsSpan((int)ix[b] + 1, context).CopyTo(y.AsSpan(b * context));
            }
            xs[s] = IndexTensor.FromArray(x, batch, context);
            ys[s] = IndexTensor.FromArray(y, batch * context);
        }
        return (xs, ys);
    }

    /// <summary>
    /// Runs <paramref name="step"/>(s) for s = 0 … steps − 1 (one whole training step, returning its loss), times steps
    /// <see cref="Warmup"/> + 1 … steps, counts the bytes every thread allocates over them, and prints the peers'
    /// <c>step N loss</c> lines (G17) and one RESULT line: <c>name</c>, dtype, threads, seconds, tokens_per_s,
    /// loss_first, loss_last, the loss of every printed step (<c>losses=</c>, comma-separated), params, peak_rss_mb and
    /// step_alloc_bytes (allocated bytes per timed step, all threads).
    /// </summary>
    public static int Train(string name, string dtype, int threads, int steps, int tokensPerStep, long parameterCount,
        Func<int, double> step, TextWriter output)
    {
        var losses = new double[steps];
        long t0 = 0, alloc0 = 0;
        for (int s = 0; s < steps; s++)
        {
            if (s == Warmup)
            {
                alloc0 = GC.GetTotalAllocatedBytes(precise: true);
                t0 = Stopwatch.GetTimestamp();
            }
            losses[s] = step(s);
        }
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        long stepBytes = (GC.GetTotalAllocatedBytes(precise: true) - alloc0) / (steps - Warmup);
        double peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

        var inv = CultureInfo.InvariantCulture;
        var printed = new List<string>();
        for (int s = 1; s <= steps; s++)
        {
            if (s != 1 && s % 10 != 0 && s != steps) continue;
            output.WriteLine(string.Create(inv, $"step {s} loss {losses[s - 1]:G17}"));
            printed.Add(string.Create(inv, $"{losses[s - 1]:G9}"));
        }
        output.WriteLine(string.Create(inv,
            $"RESULT name={name} dtype={dtype} threads={threads} seconds={seconds:F3} tokens_per_s={tokensPerStep * (double)(steps - Warmup) / seconds:F0} " +
            $"loss_first={losses[0]:G9} loss_last={losses[^1]:G9} losses={string.Join(',', printed)} params={parameterCount} " +
            $"peak_rss_mb={peakMb:F0} step_alloc_bytes={stepBytes}"));
        return 0;
    }

    /// <summary>One workload run in the precision and on the threads its arguments name.</summary>
    public delegate int Workload(string dtype, int threads, int steps, string corpus, TextWriter output);

    /// <summary>Reads the arguments, runs <paramref name="single"/> or <paramref name="@double"/> with the GEMM limited to the threads asked for.</summary>
    public static int Run(string[] args, TextWriter output, int defaultSteps, Workload single, Workload @double)
    {
        var (dtype, threads, steps, corpus) = Arguments(args, defaultSteps);
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try { return (dtype == "float32" ? single : @double)(dtype, threads, steps, corpus, output); }
        finally { Gemm.MaxThreads = saved; }
    }

    /// <summary>The positional arguments shared with the peers: [float32|float64] [threads] [steps] [corpus].</summary>
    public static (string Dtype, int Threads, int Steps, string Corpus) Arguments(string[] args, int defaultSteps)
    {
        string dtype = args.Length > 0 ? args[0] : "float32";
        if (dtype is not ("float32" or "float64")) throw new ArgumentException($"dtype must be float32 or float64, not '{dtype}'");
        int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : defaultSteps;
        if (threads < 1) throw new ArgumentException($"threads must be ≥ 1, got {threads}");
        if (steps <= Warmup) throw new ArgumentException($"steps must be more than {Warmup} (the warm-up), got {steps}");
        return (dtype, threads, steps, args.Length > 3 ? args[3] : DefaultPath);
    }
}
