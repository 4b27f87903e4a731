using System.Text.Json;
using Nabla.Optim;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Optim;

/// <summary>
/// Every scheduler against PyTorch's <c>torch.optim.lr_scheduler</c>: the script builds each configuration on a
/// torch optimizer, steps it 49 times (with a metric sequence for the plateau ones) and prints the groups' learning
/// rates (and the cycled momentum or β₁) after construction and after each step; Nabla's must agree to 1e-12 relative.
/// </summary>
public sealed class SchedulerTorchTests
{
    private const string Script = """
        import json, math, warnings
        import torch
        from torch.optim import SGD, Adam, AdamW
        from torch.optim import lr_scheduler as L
        warnings.filterwarnings("ignore")

        def groups(lrs):
            return [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]

        def hf_cosine(warmup, total):
            def f(step):
                if step < warmup:
                    return float(step) / float(max(1, warmup))
                progress = float(step - warmup) / float(max(1, total - warmup))
                return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(0.5) * 2.0 * progress)))
            return f

        plateau_a = [1.0 / (1 + (t % 7)) + 0.001 * t for t in range(50)]
        plateau_b = [((t * 37) % 11) / 10.0 for t in range(50)]

        def cases():
            o = SGD(groups([0.1, 0.02]), lr=0.1, momentum=0.9); yield "linear_warmup", o, L.LinearLR(o, 0.25, 1.0, 10), None, None
            o = Adam(groups([0.01]), lr=0.01); yield "linear_decay", o, L.LinearLR(o, 1.0, 0.05, 30), None, None
            o = SGD(groups([0.1, 0.05]), lr=0.1); yield "step", o, L.StepLR(o, 7, 0.5), None, None
            o = SGD(groups([0.1, 0.3]), lr=0.1); yield "multistep", o, L.MultiStepLR(o, [30, 5, 12, 12], 0.3), None, None
            o = Adam(groups([0.01, 0.001])); yield "exponential", o, L.ExponentialLR(o, 0.93), None, None
            o = SGD(groups([0.1, 0.02]), lr=0.1); yield "cosine", o, L.CosineAnnealingLR(o, 20, 0.001), None, None
            o = Adam(groups([0.003])); yield "cosine_long", o, L.CosineAnnealingLR(o, 50), None, None
            o = SGD(groups([0.1, 0.2]), lr=0.1); yield "lambda", o, L.LambdaLR(o, lambda e: 0.95 ** e), None, None
            o = SGD(groups([0.1, 0.2]), lr=0.1); yield "lambda_per_group", o, L.LambdaLR(o, [lambda e: 1.0 / (1 + e), lambda e: 0.9 ** e]), None, None
            o = AdamW(groups([6e-4, 3e-4])); yield "cosine_warmup", o, L.LambdaLR(o, hf_cosine(5, 49)), None, None
            o = SGD(groups([0.1, 0.1]), lr=0.1, momentum=0.9); yield "onecycle_sgd", o, L.OneCycleLR(o, [1.0, 0.5], total_steps=50), None, "momentum"
            o = Adam(groups([0.001])); yield "onecycle_adam", o, L.OneCycleLR(o, 0.01, total_steps=60, pct_start=0.25, anneal_strategy="linear", three_phase=True, div_factor=10.0, final_div_factor=100.0), None, "beta1"
            o = SGD(groups([0.1, 0.05]), lr=0.1)
            yield "sequential", o, L.SequentialLR(o, [L.LinearLR(o, 0.1, 1.0, 5), L.CosineAnnealingLR(o, 30, 0.0)], [5]), None, None
            o = Adam(groups([0.01, 0.002]))
            yield "sequential3", o, L.SequentialLR(o, [L.LinearLR(o, 0.5, 1.0, 4), L.ExponentialLR(o, 0.9), L.StepLR(o, 5, 0.5)], [4, 20]), None, None
            o = SGD(groups([1.0, 0.5]), lr=1.0)
            yield "chained", o, L.ChainedScheduler([L.LinearLR(o, 0.2, 1.0, 6), L.ExponentialLR(o, 0.95)]), None, None
            o = SGD(groups([0.1]), lr=0.1)
            yield "chained_cosine", o, L.ChainedScheduler([L.LinearLR(o, 0.1, 1.0, 10), L.CosineAnnealingLR(o, 40)]), None, None
            o = SGD(groups([0.1, 0.01]), lr=0.1)
            yield "plateau_min_rel", o, L.ReduceLROnPlateau(o, "min", factor=0.5, patience=2, threshold=0.01, threshold_mode="rel", cooldown=2, min_lr=[0.001, 0.002]), plateau_a, None
            o = Adam(groups([0.01]))
            yield "plateau_max_abs", o, L.ReduceLROnPlateau(o, "max", factor=0.3, patience=1, threshold=0.05, threshold_mode="abs", eps=1e-4), plateau_b, None

        out = {}
        for name, opt, sched, metrics, momentum in cases():
            def row():
                r = [g["lr"] for g in opt.param_groups]
                if momentum == "momentum": r += [g["momentum"] for g in opt.param_groups]
                if momentum == "beta1": r += [g["betas"][0] for g in opt.param_groups]
                return r
            rows = [row()]
            for t in range(49):
                if metrics is None: sched.step()
                else: sched.step(metrics[t])
                rows.append(row())
            out[name] = rows
        print(json.dumps(out))
        """;

    private static readonly double[] PlateauA = [.. Enumerable.Range(0, 50).Select(t => 1.0 / (1 + (t % 7)) + 0.001 * t)];
    private static readonly double[] PlateauB = [.. Enumerable.Range(0, 50).Select(t => ((t * 37) % 11) / 10.0)];

    private static ParamGroup<double>[] Groups(params double[] rates) =>
        [.. rates.Select(r => new ParamGroup<double>([Tensor<double>.Zeros(1).RequireGrad()]) { LearningRate = r })];

    private sealed record Case(Optimizer Optimizer, LearningRateScheduler Scheduler, double[]? Metrics = null, Func<ParamGroupSettings, double>? Momentum = null);

    // The same configurations as the script's, by name.
    private static IEnumerable<(string Name, Func<Case> Make)> Cases()
    {
        yield return ("linear_warmup", () => { var o = new Sgd<double>(Groups(0.1, 0.02), 0.1, momentum: 0.9); return new(o, new LinearLR(o, 0.25, 1.0, 10)); });
        yield return ("linear_decay", () => { var o = new Adam<double>(Groups(0.01), 0.01); return new(o, new LinearLR(o, 1.0, 0.05, 30)); });
        yield return ("step", () => { var o = new Sgd<double>(Groups(0.1, 0.05), 0.1); return new(o, new StepLR(o, 7, 0.5)); });
        yield return ("multistep", () => { var o = new Sgd<double>(Groups(0.1, 0.3), 0.1); return new(o, new MultiStepLR(o, [30, 5, 12, 12], 0.3)); });
        yield return ("exponential", () => { var o = new Adam<double>(Groups(0.01, 0.001)); return new(o, new ExponentialLR(o, 0.93)); });
        yield return ("cosine", () => { var o = new Sgd<double>(Groups(0.1, 0.02), 0.1); return new(o, new CosineAnnealingLR(o, 20, 0.001)); });
        yield return ("cosine_long", () => { var o = new Adam<double>(Groups(0.003)); return new(o, new CosineAnnealingLR(o, 50)); });
        yield return ("lambda", () => { var o = new Sgd<double>(Groups(0.1, 0.2), 0.1); return new(o, new LambdaLR(o, e => Math.Pow(0.95, e))); });
        yield return ("lambda_per_group", () => { var o = new Sgd<double>(Groups(0.1, 0.2), 0.1); return new(o, new LambdaLR(o, [e => 1.0 / (1 + e), e => Math.Pow(0.9, e)])); });
        yield return ("cosine_warmup", () => { var o = new AdamW<double>(Groups(6e-4, 3e-4)); return new(o, new CosineWarmupLR(o, 5, 49)); });
        yield return ("onecycle_sgd", () =>
        {
            var o = new Sgd<double>(Groups(0.1, 0.1), 0.1, momentum: 0.9);
            return new(o, new OneCycleLR(o, [1.0, 0.5], totalSteps: 50), Momentum: g => g.Momentum);
        });
        yield return ("onecycle_adam", () =>
        {
            var o = new Adam<double>(Groups(0.001));
            return new(o, new OneCycleLR(o, 0.01, totalSteps: 60, pctStart: 0.25, annealStrategy: AnnealStrategy.Linear, threePhase: true, divFactor: 10, finalDivFactor: 100),
                Momentum: g => g.Beta1);
        });
        yield return ("sequential", () =>
        {
            var o = new Sgd<double>(Groups(0.1, 0.05), 0.1);
            return new(o, new SequentialLR(o, [new LinearLR(o, 0.1, 1.0, 5), new CosineAnnealingLR(o, 30, 0.0)], [5]));
        });
        yield return ("sequential3", () =>
        {
            var o = new Adam<double>(Groups(0.01, 0.002));
            return new(o, new SequentialLR(o, [new LinearLR(o, 0.5, 1.0, 4), new ExponentialLR(o, 0.9), new StepLR(o, 5, 0.5)], [4, 20]));
        });
        yield return ("chained", () => { var o = new Sgd<double>(Groups(1.0, 0.5), 1.0); return new(o, new ChainedScheduler([new LinearLR(o, 0.2, 1.0, 6), new ExponentialLR(o, 0.95)])); });
        yield return ("chained_cosine", () => { var o = new Sgd<double>(Groups(0.1), 0.1); return new(o, new ChainedScheduler([new LinearLR(o, 0.1, 1.0, 10), new CosineAnnealingLR(o, 40)])); });
        yield return ("plateau_min_rel", () =>
        {
            var o = new Sgd<double>(Groups(0.1, 0.01), 0.1);
            return new(o, new ReduceLROnPlateau(o, [0.001, 0.002], PlateauMode.Min, factor: 0.5, patience: 2, threshold: 0.01, thresholdMode: ThresholdMode.Rel, cooldown: 2), PlateauA);
        });
        yield return ("plateau_max_abs", () =>
        {
            var o = new Adam<double>(Groups(0.01));
            return new(o, new ReduceLROnPlateau(o, PlateauMode.Max, factor: 0.3, patience: 1, threshold: 0.05, thresholdMode: ThresholdMode.Abs, eps: 1e-4), PlateauB);
        });
    }

    private static double[] Row(Case c) =>
        [.. c.Optimizer.ParamGroups.Select(g => g.LearningRate), .. c.Momentum is { } m ? c.Optimizer.ParamGroups.Select(m) : []];

    private static void Advance(Case c, int t)
    {
        if (c.Scheduler is ReduceLROnPlateau plateau) plateau.Step(c.Metrics![t]);
        else ((LRScheduler)c.Scheduler).Step();
    }

    [Fact]
    public void Every_scheduler_sets_the_learning_rates_pytorch_sets_at_every_step()
    {
        if (!Python.Has("torch"))
            Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison did not run.");
        var expected = JsonSerializer.Deserialize<Dictionary<string, double[][]>>(Python.Run("-c", Script))!;
        var names = Cases().Select(c => c.Name).ToList();
        Assert.Equal(names.Order(), expected.Keys.Order());
        foreach (var (name, make) in Cases())
        {
            var c = make();
            for (int t = 0; t < expected[name].Length; t++)
            {
                if (t > 0) Advance(c, t - 1);
                double[] want = expected[name][t], got = Row(c);
                Assert.Equal(want.Length, got.Length);
                for (int i = 0; i < want.Length; i++)
                    Assert.True(Math.Abs(got[i] - want[i]) <= 1e-12 * Math.Abs(want[i]),
                        $"{name}, after {t} steps, value {i}: PyTorch {want[i]:R}, Nabla {got[i]:R}");
                if (c.Scheduler is not ReduceLROnPlateau || t > 0)
                    Assert.Equal(got.Take(c.Optimizer.ParamGroups.Count), c.Scheduler.LastLearningRates);
            }
        }
    }

    [Fact]
    public void A_scheduler_state_restored_into_a_fresh_one_continues_the_same_rates()
    {
        foreach (var (name, make) in Cases())
        {
            var a = make();
            for (int t = 0; t < 17; t++) Advance(a, t);
            var optimizerState = ((Optimizer<double>)a.Optimizer).State();
            var schedulerState = a.Scheduler.State();
            var b = make();
            ((Optimizer<double>)b.Optimizer).LoadState(optimizerState);
            b.Scheduler.LoadState(schedulerState);
            for (int t = 17; t < 49; t++)
            {
                Advance(a, t);
                Advance(b, t);
                Assert.True(Row(a).SequenceEqual(Row(b)), $"{name}: step {t + 1} differs after the restore");
            }
        }
    }
}
