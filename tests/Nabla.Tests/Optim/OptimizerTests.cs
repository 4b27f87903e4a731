using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Optim;

public class OptimizerTests
{
    // PyTorch 1.13, float64 (/tmp/nnref/ref.py): p = [1, -2, 3], w = [0.5, -1, 2]; each step
    // opt.zero_grad(); ((p*p).sum() + (p*w).sum()).backward(); opt.step(); p printed after steps 1, 2, 3.
    private static double[][] Run(Func<IEnumerable<Tensor<double>>, Optimizer<double>> make, int steps = 3)
    {
        var p = Tensor.FromArray(new[] { 1.0, -2.0, 3.0 }).RequireGrad();
        var w = Tensor.FromArray(new[] { 0.5, -1.0, 2.0 });
        var opt = make([p]);
        var result = new double[steps][];
        for (int s = 0; s < steps; s++)
        {
            opt.ZeroGrad();
            ((p * p).Sum() + (p * w).Sum()).Backward();
            opt.Step();
            result[s] = p.ToArray();
        }
        return result;
    }

    private static void AssertSteps(double[][] expected, double[][] actual)
    {
        for (int s = 0; s < expected.Length; s++)
            for (int i = 0; i < expected[s].Length; i++)
                Assert.True(Math.Abs(expected[s][i] - actual[s][i]) <= 1e-14 * Math.Max(1, Math.Abs(expected[s][i])),
                    $"step {s + 1}, element {i}: expected {expected[s][i]:R}, got {actual[s][i]:R}");
    }

    [Fact]
    public void Plain_sgd_matches_pytorch() => AssertSteps(
        [[0.75, -1.5, 2.2], [0.55, -1.1, 1.56], [0.39, -0.78, 1.048]],
        Run(ps => new Sgd<double>(ps, 0.1)));

    [Fact]
    public void Sgd_with_momentum_matches_pytorch() => AssertSteps(
        [[0.75, -1.5, 2.2], [0.32499999999999996, -0.6499999999999999, 0.84], [-0.17250000000000004, 0.3450000000000001, -0.7520000000000003]],
        Run(ps => new Sgd<double>(ps, 0.1, momentum: 0.9)));

    [Fact]
    public void Sgd_with_nesterov_momentum_and_weight_decay_matches_pytorch() => AssertSteps(
        [[0.5231, -1.0462, 1.4743], [0.025018110000000066, -0.05003622000000013, -0.11916517000000013],
         [-0.38818121720899995, 0.7763624344179999, -1.4410737745770001]],
        Run(ps => new Sgd<double>(ps, 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01)));

    [Fact]
    public void Sgd_with_dampening_and_weight_decay_matches_pytorch() => AssertSteps(
        [[0.87, -1.74, 2.585], [0.723555, -1.44711, 2.1175025], [0.5796512075, -1.159302415, 1.65811731625]],
        Run(ps => new Sgd<double>(ps, 0.05, momentum: 0.5, weightDecay: 0.1, dampening: 0.3)));

    [Fact]
    public void Adam_matches_pytorch() => AssertSteps(
        [[0.9000000003999999, -1.9000000002, 2.900000000125], [0.8003037271694131, -1.800127188380826, 2.8000739950802718],
         [0.7011554497242888, -1.700473933862959, 2.700273844343191]],
        Run(ps => new Adam<double>(ps, 0.1)));

    [Fact]
    public void Adam_with_l2_weight_decay_and_custom_betas_matches_pytorch() => AssertSteps(
        [[0.9000000384615237, -1.9000000192307656, 2.9000000120481912], [0.8005347030088182, -1.8002398741266266, 2.800144154591722],
         [0.7020213999365041, -1.7008905391366798, 2.700531891180023]],
        Run(ps => new Adam<double>(ps, 0.1, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1)));

    [Fact]
    public void AdamW_matches_pytorch() => AssertSteps(
        [[0.8900000003999999, -1.8800000002, 2.8700000001249997], [0.7814454399518929, -1.7613583758696036, 2.7413997423052496],
         [0.6745989829657223, -1.644176218495963, 2.6142548130042673]],
        Run(ps => new AdamW<double>(ps, 0.1, weightDecay: 0.1)));

    [Fact]
    public void First_sgd_step_by_hand()
    {
        // g = 2p + w = [2.5, −5, 8]; p − 0.1·g = [0.75, −1.5, 2.2]
        Assert.Equal(new[] { 0.75, -1.5, 2.2 }, Run(ps => new Sgd<double>(ps, 0.1), 1)[0]);
    }

    public static TheoryData<string> Kinds() => ["sgd", "nesterov", "adam", "adamw"];

    private static Optimizer<float> Make(string kind, IEnumerable<Tensor<float>> ps) => kind switch
    {
        "sgd" => new Sgd<float>(ps, 0.01, momentum: 0.9, weightDecay: 1e-4),
        "nesterov" => new Sgd<float>(ps, 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4),
        "adam" => new Adam<float>(ps, 1e-3, weightDecay: 1e-4),
        _ => new AdamW<float>(ps, 1e-3),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Steps_do_not_allocate_after_the_first(string kind)
    {
        var net = Mlp.Create<float>([64, 32, 10], "relu", new RandomState(0));
        var x = new Tensor<double>(new RandomState(1).Randn(8, 64), 8, 64).To<float>();
        Nabla.Losses.Loss.CrossEntropy(net.Forward(x), [0, 1, 2, 3, 4, 5, 6, 7]).Backward();
        var opt = Make(kind, net.Parameters());
        opt.Step();
        long perStep = AllocationMeasure.Least(() => { for (int i = 0; i < 200; i++) opt.Step(); }) / 200;
        Assert.True(perStep <= 64, $"{kind}: {perStep} bytes allocated per step (the parameters hold {net.Parameters().Sum(p => p.ElementCount) * 4} bytes)");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Checkpoint_and_resume_continue_bit_exactly(string kind)
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-opt-{Guid.NewGuid():N}.safetensors");
        try
        {
            var x = new Tensor<double>(new RandomState(1).Randn(8, 6), 8, 6).To<float>();
            int[] labels = [0, 1, 2, 0, 1, 2, 0, 1];
            void Train(Module<float> net, Optimizer<float> opt, int steps)
            {
                for (int i = 0; i < steps; i++)
                {
                    opt.ZeroGrad();
                    Nabla.Losses.Loss.CrossEntropy(net.Forward(x), labels).Backward();
                    opt.Step();
                }
            }
            var a = Mlp.Create<float>([6, 5, 3], "tanh", new RandomState(3));
            var optA = Make(kind, a.Parameters());
            Train(a, optA, 3);
            var modelState = a.StateDict();
            optA.SaveState(path);
            Train(a, optA, 4);

            var b = Mlp.Create<float>([6, 5, 3], "tanh", new RandomState(77));
            b.LoadStateDict(modelState);
            var optB = Make(kind, b.Parameters());
            optB.LoadState(path);
            Assert.Equal(3, optB.StepCount);
            Train(b, optB, 4);
            foreach (var (pa, pb) in a.Parameters().Zip(b.Parameters()))
                Assert.Equal(pa.ToArray().Select(BitConverter.SingleToInt32Bits), pb.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void LoadState_names_unknown_keys_and_shape_mismatches()
    {
        var p = Tensor<double>.Zeros(3).RequireGrad();
        var opt = new Adam<double>([p]);
        var bad = new OptimizerState<double>(1, new Dictionary<string, Tensor<double>> { ["0.exp_avg"] = Tensor<double>.Zeros(4), ["0.momentum_buffer"] = Tensor<double>.Zeros(3) });
        var e = Assert.Throws<NablaException>(() => opt.LoadState(bad));
        Assert.Contains("shape mismatch for \"0.exp_avg\"", e.Message);
        Assert.Contains("unexpected keys: \"0.momentum_buffer\"", e.Message);
    }

    [Fact]
    public void Invalid_hyperparameters_are_rejected()
    {
        var ps = new[] { Tensor<double>.Zeros(1).RequireGrad() };
        Assert.Throws<NablaArgumentException>(() => new Sgd<double>(ps, -1));
        Assert.Throws<NablaArgumentException>(() => new Sgd<double>(ps, 0.1, nesterov: true));
        Assert.Throws<NablaArgumentException>(() => new Adam<double>(ps, beta1: 1));
        var opt = new Sgd<double>(ps, 0.1);
        Assert.Throws<NablaArgumentException>(() => opt.LearningRate = double.NaN);
    }
}
