using Nabla.Cli.Commands;
using Nabla.Distributed;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Tests.Optim;

/// <summary>The library trainer with a scheduler and gradient clipping: when it steps, what it saves, what it refuses.</summary>
public sealed class TrainerSchedulingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-trainer-scheduling-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static LabeledTable Moons() => LabeledTable.FromDataset("moons", 120, 0.1, 0);

    private static Trainer<double> Make(TrainerOptions options, ILearningRateSchedule? schedule = null, Func<Sequential<double>, Optimizer<double>>? optimizer = null,
        Func<ITrainingSource<double>, ITrainingSource<double>>? wrap = null)
    {
        var rng = new RandomState(1);
        var set = TrainingSet.Prepare<double>(Moons(), 0.25, rng);
        var net = Mlp.Create<double>([2, 8, 1], "tanh", rng);
        var data = wrap is null ? set : wrap(set);
        return new Trainer<double>(net, optimizer?.Invoke(net) ?? new Adam<double>(net.Parameters(), 0.05), new BinaryCrossEntropyLoss<double>(), data, options, schedule, rng);
    }

    private static double[] Weights(Trainer<double> t) => [.. t.Model.StateDict().Values.SelectMany(p => p.ToArray())];

    [Fact]
    public void A_per_epoch_scheduler_steps_once_after_each_epoch_and_a_per_batch_one_after_each_step()
    {
        var perEpoch = Make(new TrainerOptions { Epochs = 3, BatchSize = 16, Scheduler = o => new StepLR(o, 1, 0.5) });
        Assert.Equal(0.05, perEpoch.Optimizer.LearningRate);
        perEpoch.RunEpoch();
        Assert.Equal(0.025, perEpoch.Optimizer.LearningRate);
        perEpoch.RunEpoch();
        Assert.Equal(0.0125, perEpoch.Optimizer.LearningRate);

        var perBatch = Make(new TrainerOptions { Epochs = 2, BatchSize = 16, Scheduler = o => new ExponentialLR(o, 0.9), SchedulerStep = SchedulerInterval.Batch });
        perBatch.RunEpoch();   // 90 rows: 6 batches
        Assert.Equal(6, ((ChainableLRScheduler)perBatch.Scheduler!).LastEpoch);
        Assert.Equal(0.05 * Math.Pow(0.9, 6), perBatch.Optimizer.LearningRate, 1e-15);
    }

    [Fact]
    public void ReduceLROnPlateau_is_given_the_validation_loss_of_each_epoch()
    {
        var trainer = Make(new TrainerOptions { Epochs = 4, BatchSize = 16, Scheduler = o => new ReduceLROnPlateau(o, patience: 0, threshold: 0) });
        var plateau = (ReduceLROnPlateau)trainer.Scheduler!;
        trainer.RunEpoch();
        Assert.Equal(trainer.History[0].ValidationLoss!.Value, plateau.Best);
        trainer.RunEpoch();
        Assert.Equal(Math.Min(trainer.History[0].ValidationLoss!.Value, trainer.History[1].ValidationLoss!.Value), plateau.Best);
    }

    [Fact]
    public void A_checkpoint_mid_epoch_resumes_the_scheduler_and_clipping_bit_exactly()
    {
        TrainerOptions Options() => new()
        {
            Epochs = 5, BatchSize = 8, ClipGradNorm = 0.1, SchedulerStep = SchedulerInterval.Batch,
            Scheduler = o => new SequentialLR(o, [new LinearLR(o, 0.1, 1, 10), new CosineAnnealingLR(o, 40, 0.001)], [10]),
        };
        var whole = Make(Options());
        whole.Fit();

        // Stopped after batch 27: in epoch 3 of 12-batch epochs, after the warm-up's 10 steps and the milestone.
        using var cancel = new CancellationTokenSource();
        var first = Make(Options(), wrap: d => new Nabla.Tests.Training.TrainerApiTests.CancelAfter(d, 27, cancel));
        Assert.False(first.Fit(cancel.Token));
        Assert.True(first.IsMidEpoch);
        string path = Path.Combine(_dir, "run.ckpt");
        first.SaveCheckpoint(path);
        var resumed = Make(Options());
        resumed.LoadCheckpoint(path);
        Assert.Equal(first.Optimizer.LearningRate, resumed.Optimizer.LearningRate);
        resumed.Fit();
        Assert.Equal(Weights(whole), Weights(resumed));
        var unclipped = Make(Options() with { ClipGradNorm = null });
        unclipped.Fit();
        Assert.NotEqual(Weights(whole), Weights(unclipped));   // the clipping did something
    }

    [Fact]
    public void Data_parallel_ranks_clip_the_summed_gradients_and_end_with_the_one_process_weights()
    {
        var settings = new TrainSettings { Epochs = 4, BatchSize = 12, Hidden = [8, 6], ClipGrad = 0.05, Warmup = 5 };
        var single = new TrainSetup<double>(Moons(), settings).Trainer;
        single.Fit();
        var ranks = ThreadCollectives.Run(3, comm =>
        {
            var trainer = new TrainSetup<double>(Moons(), settings).Trainer;
            trainer.StartDataParallel(comm);
            trainer.Fit();
            trainer.StopDataParallel();
            return Weights(trainer);
        });
        foreach (var w in ranks) Assert.Equal(ranks[0], w);
        double difference = ranks[0].Zip(Weights(single), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(difference <= 1e-12, $"max |w - w_single| = {difference:R}");
        var unclipped = new TrainSetup<double>(Moons(), settings with { ClipGrad = null }).Trainer;
        unclipped.Fit();
        Assert.True(ranks[0].Zip(Weights(unclipped), (a, b) => Math.Abs(a - b)).Max() > 1e-6, "clipping changed nothing, so the test would not see it");
    }

    [Fact]
    public void Conflicting_or_impossible_scheduler_options_are_refused()
    {
        Assert.Contains("either a schedule or TrainerOptions.Scheduler",
            Assert.Throws<NablaException>(() => Make(new TrainerOptions { Scheduler = o => new StepLR(o, 2) }, new ConstantSchedule(0.1))).Message);
        Assert.Contains("ReduceLROnPlateau needs an epoch's metric",
            Assert.Throws<NablaException>(() => Make(new TrainerOptions { Scheduler = o => new ReduceLROnPlateau(o), SchedulerStep = SchedulerInterval.Batch })).Message);
        var stranger = new Sgd<double>([Nabla.Tensors.Tensor<double>.Zeros(1).RequireGrad()], 0.1);
        Assert.Contains("on another optimizer",
            Assert.Throws<NablaException>(() => Make(new TrainerOptions { Scheduler = _ => new StepLR(stranger, 2) })).Message);
        Assert.Contains("must be a finite number > 0, got NaN", Assert.Throws<NablaException>(() => new TrainerOptions { ClipGradNorm = double.NaN }).Message);
        Assert.Contains("must be a finite number > 0, got 0", Assert.Throws<NablaException>(() => new TrainerOptions { ClipGradNorm = 0 }).Message);
    }

    [Fact]
    public void Groups_with_their_own_rates_are_left_alone_by_a_trainer_without_a_schedule()
    {
        var trainer = Make(new TrainerOptions { Epochs = 2, BatchSize = 16 }, optimizer: net =>
        {
            var ps = net.Parameters().ToList();
            return new AdamW<double>([new ParamGroup<double>(ps.Where(p => p.Rank > 1)) { LearningRate = 0.01 }, new ParamGroup<double>(ps.Where(p => p.Rank == 1)) { WeightDecay = 0 }], 0.002);
        });
        trainer.Fit();
        Assert.Equal([0.01, 0.002], trainer.Optimizer.ParamGroups.Select(g => g.LearningRate));
    }
}
