using BenchmarkDotNet.Running;
using Nabla.Benchmarks.Workloads;

namespace Nabla.Benchmarks;

/// <summary>
/// Dispatches to one whole-program workload (the W-ids of /work/shared/bench/README.md), each printing the
/// peer's RESULT lines, or to BenchmarkDotNet for the micro-benchmarks. Add a workload: one file under
/// Workloads/ with a static Run(string[] args, TextWriter output) and one row in <see cref="Commands"/>.
/// </summary>
public static class Program
{
    static readonly (string Name, string Help, Func<string[], TextWriter, int> Run)[] Commands =
    [
        ("gemm", "W5: square matmul, best of 5 [--sizes 256,512,1024,2048] [--threads all|1|both] [--dtypes float32,float64] [--mlp] [--reps 5]", GemmWorkload.Run),
        ("sigmoid", "W1: notebook 003's 3-4-1 sigmoid loop on the tensor API, 60 000 iterations [--check peer.json] [--warmup 1]", SigmoidWorkload.Run),
        ("moons", "W2: micrograd's moons demo on the scalar engine from shared/bench/moons_micrograd_init.json [--peers DIR] [--warmup 1]", MoonsWorkload.Run),
        ("toy", "W6: notebook 004's toy model forward+backward on the scalar engine [iterations=100000]", ToyWorkload.Run),
        ("mlp", "W3/W4: MLP 784-512-256-10, one epoch of SGD on mlp_common.py's data [float32|float64]", MlpWorkload.Run),
        ("small", "W7: MLP 30-64-64-1, batch 32, one epoch of SGD on torch_small_mlp.py's data [float32|float64]", SmallMlpWorkload.Run),
        ("conv", "W8: LeNet-5-shaped conv net, batch 64, one epoch of SGD on torch_conv.py's 10 000 synthetic 28x28 images [float32|float64]", ConvWorkload.Run),
        ("gpt", "W10: tiny character-level GPT (4 layers, 4 heads, width 128, tied head), AdamW + clipping, batch 32x64, on torch_gpt.py's recipe [float32|float64] [threads=2] [steps=60] [corpus]", GptWorkload.Run),
        ("lstm", "W11: character-level LSTM language model (embedding 256, 2-layer LSTM 256, linear), Adam, batch 32x64, on peers/torch_lstm.py's recipe [float32|float64] [threads=2] [steps=60] [corpus]", LstmLmWorkload.Run),
        ("trainer", "W9: the trainer's own cost, nabla train's defaults on a 150-row, 4-feature, 3-class CSV for 100 epochs", TrainerWorkload.Run),
        ("bdn", "BenchmarkDotNet micro-benchmarks; the remaining arguments go to BenchmarkSwitcher (e.g. --filter '*MatMul*')",
            (args, _) => { BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args); return 0; }),
    ];

    public static int Main(string[] args)
    {
        var command = args.Length > 0 ? Commands.FirstOrDefault(c => c.Name == args[0]) : default;
        if (command.Run is null)
        {
            Console.Error.WriteLine("usage: Nabla.Benchmarks <command> [options]");
            foreach (var c in Commands) Console.Error.WriteLine($"  {c.Name,-8} {c.Help}");
            return 2;
        }
        return command.Run(args[1..], Console.Out);
    }
}
