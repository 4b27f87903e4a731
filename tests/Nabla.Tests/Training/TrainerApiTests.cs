using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Training;
using Nabla.Training.Callbacks;
using Nabla.Training.Metrics;

namespace Nabla.Tests.Training;

/// <summary>The trainer as a library: objects in, any module, callbacks, checkpoints in the middle of an epoch.</summary>
public sealed class TrainerApiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-trainer-api-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A module that is not a Sequential: two linear layers with a residual tanh branch, written by a user.</summary>
    private sealed class Residual : Module<double>
    {
        private readonly Linear<double> _in, _hidden, _out;

        public Residual(RandomState rng)
        {
            _in = new Linear<double>(2, 8, rng);
            _hidden = new Linear<double>(8, 8, rng);
            _out = new Linear<double>(8, 1, rng);
        }

        public override Tensor<double> Forward(Tensor<double> input)
        {
            var h = _in.Forward(input).Tanh();
            return _out.Forward(h + _hidden.Forward(h).Tanh());
        }

        public override IEnumerable<(string Name, Module<double> Module)> Children() => [("in", _in), ("hidden", _hidden), ("out", _out)];
    }

    // y = sin(x1) + x2² on 300 random points; the last 60 validate.
    private static TrainingSet<double> Curve(out int features)
    {
        features = 2;
        var rng = new RandomState(7);
        var x = rng.Uniform(-2, 2, 600);
        var y = Enumerable.Range(0, 300).Select(i => Math.Sin(x[2 * i]) + x[2 * i + 1] * x[2 * i + 1]).ToArray();
        return new TrainingSet<double>(x, 2, y, null, [.. Enumerable.Range(0, 240)], [.. Enumerable.Range(240, 60)]);
    }

    private static Trainer<double> Build(ITrainingSource<double> data, int epochs = 20)
    {
        var rng = new RandomState(3);
        var model = new Residual(rng);
        var optimizer = new Adam<double>(model.Parameters(), 0.01);
        return new Trainer<double>(model, optimizer, new MseLoss<double>(), data, new TrainerOptions { Epochs = epochs, BatchSize = 16 },
            new CosineSchedule(0.01, epochs), rng);
    }

    /// <summary>Cancels a token once the trainer has asked for a given number of training batches.</summary>
    internal sealed class CancelAfter(ITrainingSource<double> inner, int batches, CancellationTokenSource cancel) : ITrainingSource<double>
    {
        private int _served;
        public int TrainingRows => inner.TrainingRows;
        public int ValidationRows => inner.ValidationRows;
        public string Fingerprint => inner.Fingerprint;
        public Batch<double> ValidationBatch(ReadOnlySpan<int> rows) => inner.ValidationBatch(rows);
        public Batch<double> TrainingBatch(ReadOnlySpan<int> rows)
        {
            if (++_served == batches) cancel.Cancel();
            return inner.TrainingBatch(rows);
        }
    }

    [Fact]
    public void A_user_module_trains_and_its_error_falls_well_below_the_targets_variance()
    {
        var data = Curve(out _);
        var trainer = Build(data, 60);
        Assert.True(trainer.Fit());
        var metric = new RegressionMetric<double>(TargetScale.Identity);
        var (loss, accuracy) = trainer.Evaluate(DataPart.Validation, metric);
        Assert.Null(accuracy);
        Assert.Equal(loss!.Value, metric.Errors.Mse, 12);   // MSE loss on unscaled targets is the metric's MSE
        Assert.True(metric.Errors.R2 > 0.9, $"R² {metric.Errors.R2}");
    }

    [Fact]
    public void A_checkpoint_written_in_the_middle_of_an_epoch_resumes_bit_exactly()
    {
        var whole = Build(Curve(out _));
        whole.Fit();

        using var cancel = new CancellationTokenSource();
        // 240 rows in batches of 16 make 15 batches per epoch: stop after batch 7 of epoch 4.
        var interrupted = Build(new CancelAfter(Curve(out _), 3 * 15 + 7, cancel));
        Assert.False(interrupted.Fit(cancel.Token));
        Assert.True(interrupted.IsMidEpoch);
        Assert.Equal(3, interrupted.CompletedEpochs);
        Assert.Equal(7, interrupted.BatchesDoneInEpoch);
        string path = Path.Combine(_dir, "mid.ckpt");
        interrupted.SaveCheckpoint(path);

        var resumed = Build(Curve(out _));
        resumed.LoadCheckpoint(path);
        Assert.True(resumed.IsMidEpoch);
        Assert.True(resumed.Fit());
        foreach (var (name, tensor) in whole.Model.StateDict())
            Assert.Equal(tensor.ToArray(), resumed.Model.StateDict()[name].ToArray());
        Assert.Equal(whole.History.Select(m => m.Loss), resumed.History.Select(m => m.Loss));
        Assert.Equal(whole.History.Select(m => m.ValidationLoss), resumed.History.Select(m => m.ValidationLoss));
    }

    [Fact]
    public void Early_stopping_ends_an_overfitting_run_and_keep_best_restores_the_best_epochs_weights()
    {
        // 30 noisy training rows, a wide network and a large learning rate: the validation loss turns up early.
        var rng = new RandomState(11);
        var x = rng.Uniform(-1, 1, 200);
        var noise = rng.Normal(0, 0.5, 100);
        var y = Enumerable.Range(0, 100).Select(i => x[2 * i] + noise[i]).ToArray();
        var data = new TrainingSet<double>(x, 2, y, null, [.. Enumerable.Range(0, 30)], [.. Enumerable.Range(30, 70)]);
        var model = Mlp.Create<double>([2, 64, 64, 1], "relu", rng);
        var trainer = new Trainer<double>(model, new Adam<double>(model.Parameters(), 0.02), new MseLoss<double>(), data,
            new TrainerOptions { Epochs = 500, BatchSize = 8 }, shuffle: rng);
        var stopping = new EarlyStopping<double>(5);
        var best = new KeepBest<double>();
        trainer.Callbacks.Add(stopping);
        trainer.Callbacks.Add(best);
        Assert.True(trainer.Fit());

        Assert.NotNull(trainer.StopReason);
        Assert.True(trainer.CompletedEpochs < 500, "the run never stopped");
        // The best epoch is the first one with the smallest validation loss, and the run stopped 5 epochs after it.
        var losses = trainer.History.Select(m => m.ValidationLoss!.Value).ToList();
        int expectedBest = losses.IndexOf(losses.Min()) + 1;
        Assert.Equal(expectedBest, best.BestEpoch);
        Assert.Equal(expectedBest, stopping.BestEpoch);
        Assert.Equal(expectedBest + 5, trainer.CompletedEpochs);
        Assert.True(best.RestoreBest(trainer));
        Assert.Equal(losses[expectedBest - 1], trainer.Evaluate(DataPart.Validation).Loss!.Value, 12);
    }

    [Fact]
    public void A_learning_rate_that_blows_the_loss_up_is_reported_as_divergence()
    {
        var data = Curve(out _);
        var rng = new RandomState(3);
        var model = Mlp.Create<double>([2, 16, 1], "relu", rng);
        var trainer = new Trainer<double>(model, new Sgd<double>(model.Parameters(), 5.0), new MseLoss<double>(), data,
            new TrainerOptions { Epochs = 50 }, shuffle: rng);
        trainer.Callbacks.Add(new DivergenceGuard<double>());
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit());
        Assert.StartsWith("training diverged", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Assert.DoesNotContain("--", e.Message);   // a library error names no command-line flag
    }

    [Fact]
    public void An_optimizer_over_another_models_parameters_is_refused()
    {
        var rng = new RandomState(0);
        var model = Mlp.Create<double>([2, 4, 1], "relu", rng);
        var other = Mlp.Create<double>([2, 4, 1], "relu", rng);
        var e = Assert.Throws<NablaException>(() => new Trainer<double>(model, new Sgd<double>(other.Parameters(), 0.1), new MseLoss<double>(), Curve(out _)));
        Assert.Contains("not parameters of the model", e.Message);
    }
}
