using Nabla.Tensors;

namespace Nabla.Tests.Functional;

/// <summary>
/// Random composite programs: a generator strings together random tensor ops (element-wise, broadcasting, reductions,
/// views, matmul, linear, softmax) over a growing pool of intermediates, and each program is checked as the table rows
/// are: J·v against central differences and the reverse-mode Jacobian, the pullback against the forward-mode Jacobian,
/// and H·v of a weighted sum of its output against central differences of the gradient.
/// </summary>
public class RandomProgramTests
{
    private delegate Tensor<double> Step(Tensor<double> a, Tensor<double> b);

    // Every step maps [3, 4] tensors to a [3, 4] tensor; smooth everywhere on the values the programs see.
    private static readonly (string Name, Step Apply)[] Steps =
    [
        ("sin", (a, _) => a.Sin()),
        ("tanh(a + b)", (a, b) => (a + b).Tanh()),
        ("sigmoid", (a, _) => a.Sigmoid()),
        ("exp(0.3a)", (a, _) => (a * 0.3).Exp()),
        ("log(a² + 1)", (a, _) => (a * a + 1.0).Log()),
        ("sqrt(a² + 0.5)", (a, _) => (a * a + 0.5).Sqrt()),
        ("a·b", (a, b) => a * b),
        ("a − b", (a, b) => a - b),
        ("a / (1 + b²)", (a, b) => a / (b * b + 1.0)),
        ("(a² + 1)^(b/2)", (a, b) => (a * a + 1.0).Pow(b * 0.5)),
        ("softmax", (a, _) => a.Softmax()),
        ("log_softmax(0)", (a, _) => a.LogSoftmax(0)),
        ("a − mean(a, 1)", (a, _) => a - a.Mean(1, keepDims: true)),
        ("a + sum(b, 0)", (a, b) => a + b.Sum(0)),
        ("logsumexp(a, 1)·b", (a, b) => a.LogSumExp(1, keepDims: true) * b),
        ("a·bᵀ·b / 4", (a, b) => a.MatMul(b.Transpose()).MatMul(b) * 0.25),
        ("linear(a, bᵀb/4, b[0])", (a, b) => Tensor<double>.Linear(a, b.Transpose().MatMul(b) * 0.25, b.Select(0, 0))),
        ("reshape(4, 3)ᵀ", (a, _) => a.Reshape(4, 3).Transpose()),
        ("expand(a[1:2])·b", (a, b) => a.Slice(0, 1, 2).Expand(3, 4) * b),
        ("max(a, 1)·b", (a, b) => a.Max(1, keepDims: true) * b),
        ("mse(a, b, none)", (a, b) => Tensor<double>.Mse(a, b, Nabla.Losses.Reduction.None)),
    ];

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 25)];

    /// <summary>Program <paramref name="seed"/>: six random steps over the pool, its last value the output.</summary>
    private static (Func<Tensor<double>, Tensor<double>> F, string Text) Program(int seed)
    {
        var random = new Random(seed);
        var c = ModeChecks.RandomLike([3, 4], random);
        var plan = Enumerable.Range(0, 6).Select(i => (Step: random.Next(Steps.Length), A: random.Next(i + 2), B: random.Next(i + 2))).ToArray();
        Tensor<double> F(Tensor<double> x)
        {
            var pool = new List<Tensor<double>> { x, c };
            foreach (var (step, a, b) in plan) pool.Add(Steps[step].Apply(pool[a], pool[b]));
            return pool[^1];
        }
        string text = string.Join("; ", plan.Select((p, i) => $"v{i + 2} = {Steps[p.Step].Name} of v{p.A}, v{p.B}"));
        return (F, text);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Forward_mode_agrees_with_central_differences_and_reverse_mode(int seed)
    {
        var (f, text) = Program(seed);
        var random = new Random(seed + 1000);
        ModeChecks.FirstOrder(f, ModeChecks.RandomLike([3, 4], random), random, $"program {seed} ({text})");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Hvp_agrees_with_central_differences_of_the_gradient(int seed)
    {
        var (f, text) = Program(seed);
        var random = new Random(seed + 2000);
        var w = ModeChecks.RandomLike([3, 4], random);
        ModeChecks.SecondOrder(x => (f(x) * w).Sum(), ModeChecks.RandomLike([3, 4], random), random, $"program {seed} ({text})");
    }
}
