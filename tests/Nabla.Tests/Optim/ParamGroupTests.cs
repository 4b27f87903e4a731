using System.Text.Json;
using Nabla.Optim;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Optim;

/// <summary>Optimizers over parameter groups: PyTorch's updates per group, the refusals, and the groups in saved state.</summary>
public sealed class ParamGroupTests
{
    // Two tensors in two groups; loss = Σ a² + Σ a·w + Σ b³/3 + Σ b; the script runs torch's optimizer on the same groups.
    private const string Script = """
        import json, sys
        import torch
        kind = sys.argv[1]
        a = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64, requires_grad=True)
        b = torch.tensor([0.5, -1.5], dtype=torch.float64, requires_grad=True)
        w = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
        if kind == "sgd":
            opt = torch.optim.SGD([{"params": [a], "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}, {"params": [b], "lr": 0.05, "dampening": 0.3}], lr=0.1, momentum=0.5)
        else:
            opt = torch.optim.AdamW([{"params": [a], "weight_decay": 0.1}, {"params": [b], "weight_decay": 0.0, "betas": (0.8, 0.99), "lr": 0.02, "eps": 1e-6}], lr=0.1, betas=(0.9, 0.95))
        out = []
        for step in range(4):
            opt.zero_grad()
            ((a * a).sum() + (a * w).sum() + (b ** 3 / 3).sum() + b.sum()).backward()
            opt.step()
            out.append(a.tolist() + b.tolist())
        print(json.dumps(out))
        """;

    private static Optimizer<double> Make(string kind, Tensor<double> a, Tensor<double> b) => kind == "sgd"
        ? new Sgd<double>([new ParamGroup<double>([a]) { Momentum = 0.9, Nesterov = true, WeightDecay = 0.01 }, new ParamGroup<double>([b]) { LearningRate = 0.05, Dampening = 0.3 }],
            0.1, momentum: 0.5)
        : new AdamW<double>([new ParamGroup<double>([a]) { WeightDecay = 0.1 }, new ParamGroup<double>([b]) { WeightDecay = 0, Beta1 = 0.8, Beta2 = 0.99, LearningRate = 0.02, Eps = 1e-6 }],
            0.1, beta1: 0.9, beta2: 0.95);

    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void Each_group_steps_with_its_own_options_as_pytorch_does(string kind)
    {
        if (!Python.Has("torch"))
            Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison did not run.");
        var expected = JsonSerializer.Deserialize<double[][]>(Python.Run("-c", Script, kind))!;
        var a = Tensor.FromArray(new[] { 1.0, -2.0, 3.0 }).RequireGrad();
        var b = Tensor.FromArray(new[] { 0.5, -1.5 }).RequireGrad();
        var w = Tensor.FromArray(new[] { 0.5, -1.0, 2.0 });
        var opt = Make(kind, a, b);
        for (int s = 0; s < expected.Length; s++)
        {
            opt.ZeroGrad();
            ((a * a).Sum() + (a * w).Sum() + (b * b * b / 3.0).Sum() + b.Sum()).Backward();
            opt.Step();
            double[] got = [.. a.ToArray(), .. b.ToArray()];
            for (int i = 0; i < got.Length; i++)
                Assert.True(Math.Abs(got[i] - expected[s][i]) <= 1e-13 * Math.Max(1, Math.Abs(expected[s][i])),
                    $"{kind}, step {s + 1}, element {i}: PyTorch {expected[s][i]:R}, Nabla {got[i]:R}");
        }
    }

    [Fact]
    public void Unset_options_take_the_optimizer_defaults_and_LearningRate_sets_every_group()
    {
        var opt = new Adam<double>([new ParamGroup<double>([Tensor<double>.Zeros(2).RequireGrad()]) { Beta1 = 0.5 }, new ParamGroup<double>([Tensor<double>.Zeros(1).RequireGrad()]) { LearningRate = 0.5 }],
            learningRate: 0.01, beta2: 0.9);
        Assert.Equal([0.5, 0.9], [opt.ParamGroups[0].Beta1, opt.ParamGroups[1].Beta1]);
        Assert.Equal([0.9, 0.9], [opt.ParamGroups[0].Beta2, opt.ParamGroups[1].Beta2]);
        Assert.Equal([0.01, 0.5], [opt.ParamGroups[0].LearningRate, opt.ParamGroups[1].LearningRate]);
        Assert.Equal(0.01, opt.LearningRate);
        Assert.Equal([0, 1], [opt.ParamGroups[0].FirstParameter, opt.ParamGroups[1].FirstParameter]);
        opt.LearningRate = 0.2;
        Assert.Equal([0.2, 0.2], [opt.ParamGroups[0].LearningRate, opt.ParamGroups[1].LearningRate]);
    }

    [Fact]
    public void No_parameters_a_tensor_given_twice_and_an_option_the_optimizer_does_not_use_are_refused()
    {
        var p = Tensor<double>.Zeros(3).RequireGrad();
        var q = Tensor<double>.Zeros(2).RequireGrad();
        Assert.Contains("was given no parameters", Assert.Throws<NablaArgumentException>(() => new Adam<double>(Array.Empty<Tensor<double>>())).Message);
        Assert.Contains("did the module register its layers?", Assert.Throws<NablaArgumentException>(() => new Sgd<double>([new ParamGroup<double>([])], 0.1)).Message);
        Assert.Contains("parameter 2 of group 0 is the same tensor as parameter 0 of group 0",
            Assert.Throws<NablaArgumentException>(() => new Sgd<double>([p, q, p], 0.1)).Message);
        Assert.Contains("parameter 0 of group 1 is the same tensor as parameter 1 of group 0",
            Assert.Throws<NablaArgumentException>(() => new Sgd<double>([new ParamGroup<double>([p, q]), new ParamGroup<double>([q])], 0.1)).Message);
        Assert.Contains("parameter group 0 sets beta1, which Sgd does not use",
            Assert.Throws<NablaArgumentException>(() => new Sgd<double>([new ParamGroup<double>([p]) { Beta1 = 0.5 }], 0.1)).Message);
        Assert.Contains("momentum of parameter group 1 is -1",
            Assert.Throws<NablaArgumentException>(() => new Sgd<double>([new ParamGroup<double>([p]), new ParamGroup<double>([q]) { Momentum = -1 }], 0.1)).Message);
        Assert.Contains("parameter group 0 has momentum 0",
            Assert.Throws<NablaArgumentException>(() => new Sgd<double>([new ParamGroup<double>([p]) { Nesterov = true }], 0.1)).Message);
        var opt = new Adam<double>([p]);
        Assert.Contains("lr of parameter group 0 is NaN", Assert.Throws<NablaArgumentException>(() => opt.ParamGroups[0].LearningRate = double.NaN).Message);
        Assert.Contains("beta1 of parameter group 0 is 1", Assert.Throws<NablaArgumentException>(() => opt.ParamGroups[0].Beta1 = 1).Message);
    }

    [Fact]
    public void A_saved_state_restores_each_groups_options_and_refuses_other_group_sizes()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-groups-{Guid.NewGuid():N}.safetensors");
        try
        {
            Tensor<double>[] ps = [Tensor<double>.Zeros(2).RequireGrad(), Tensor<double>.Zeros(3).RequireGrad(), Tensor<double>.Zeros(1).RequireGrad()];
            var a = new Sgd<double>([new ParamGroup<double>(ps[..2]), new ParamGroup<double>(ps[2..]) { Momentum = 0.5 }], 0.1, momentum: 0.9);
            _ = new StepLR(a, 3);
            a.ParamGroups[1].LearningRate = 0.0125;
            a.SaveState(path);

            var b = new Sgd<double>([new ParamGroup<double>(ps[..2]), new ParamGroup<double>(ps[2..]) { Momentum = 0.5 }], 0.1, momentum: 0.9);
            b.LoadState(path);
            Assert.Equal([0.1, 0.0125], b.ParamGroups.Select(g => g.LearningRate));
            Assert.Equal([0.1, 0.1], b.ParamGroups.Select(g => g.InitialLearningRate!.Value));
            Assert.Equal([0.9, 0.5], b.ParamGroups.Select(g => g.Momentum));

            var other = new Sgd<double>([new ParamGroup<double>(ps[..1]), new ParamGroup<double>(ps[1..])], 0.1);
            var e = Assert.Throws<NablaException>(() => other.LoadState(path));
            Assert.Contains("the state has 2 parameter groups of sizes (2, 1), this optimizer has 2 of sizes (1, 2)", e.Message);
            Assert.Equal(0.1, other.ParamGroups[1].LearningRate);
            Assert.Contains("parameter group 0 has option \"momentum\", which Adam does not use",
                Assert.Throws<NablaException>(() => new Adam<double>([new ParamGroup<double>(ps[..2]), new ParamGroup<double>(ps[2..])]).LoadState(path)).Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_state_without_groups_from_an_older_file_keeps_the_optimizers_own_options()
    {
        var p = Tensor<double>.Zeros(2).RequireGrad();
        var opt = new Adam<double>([p], 0.05);
        opt.LoadState(new OptimizerState<double>(4, new Dictionary<string, Tensor<double>> { ["0.exp_avg"] = Tensor<double>.Ones(2) }));
        Assert.Equal(4, opt.StepCount);
        Assert.Equal(0.05, opt.LearningRate);
    }
}
