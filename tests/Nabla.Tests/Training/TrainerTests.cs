using Nabla.Cli.Commands;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static LabeledTable Moons() => LabeledTable.FromDataset("moons", 200, 0.1, 0);

    private static TrainSetup<double> Setup(TrainSettings settings, LabeledTable? data = null) => new(data ?? Moons(), settings);

    private static TrainSetup<double> Train(TrainSettings settings, LabeledTable? data = null)
    {
        var setup = Setup(settings, data);
        setup.Trainer.Fit();
        return setup;
    }

    [Fact]
    public void Moons_are_learned_to_high_validation_accuracy()
    {
        var setup = Train(new TrainSettings { Epochs = 60 });
        var trainer = setup.Trainer;
        var last = trainer.History[^1];
        Assert.True(last.ValidationAccuracy >= 0.95, $"validation accuracy {last.ValidationAccuracy}");
        Assert.True(last.Loss < trainer.History[0].Loss / 5, $"loss went from {trainer.History[0].Loss} to {last.Loss}");
        Assert.Equal(160, trainer.Data.TrainingRows);
        Assert.Equal(40, trainer.Data.ValidationRows);
        Assert.Empty(setup.Set.TrainIndices.Intersect(setup.Set.ValidationIndices));
    }

    [Theory]
    [InlineData("sgd", "ce", "float64")]
    [InlineData("adamw", "hinge", "float64")]
    [InlineData("adam", "bce", "float32")]
    public void Every_optimizer_and_classification_loss_learns_moons(string optimizer, string loss, string dtype)
    {
        var settings = new TrainSettings { Optimizer = TrainChoices.ParseOptimizer(optimizer), Loss = TrainChoices.ParseLoss(loss), Epochs = 80, LearningRate = optimizer == "sgd" ? 0.05 : 0.01, DType = TrainChoices.ParseDType(dtype) };
        double accuracy = dtype == "float32"
            ? Finish(new TrainSetup<float>(Moons(), settings).Trainer)
            : Finish(new TrainSetup<double>(Moons(), settings).Trainer);
        Assert.True(accuracy >= 0.9, $"{optimizer}/{loss}/{dtype}: validation accuracy {accuracy}");

        static double Finish<T>(Trainer<T> t) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            t.Fit();
            return t.History[^1].ValidationAccuracy!.Value;
        }
    }

    [Fact]
    public void Regression_on_sine_brings_the_error_well_below_the_targets_variance()
    {
        var data = LabeledTable.FromDataset("sine", 300, 0.0, 1);
        var setup = Train(new TrainSettings { Epochs = 150, Activation = ActivationChoice.Tanh, Hidden = [32, 32] }, data);
        Assert.Equal("mse", setup.Model.Loss.Name);
        double mean = data.Targets.Average(), variance = data.Targets.Average(t => (t - mean) * (t - mean));
        var rows = setup.Set.ValidationIndices.ToArray();
        var predictions = setup.Model.Predictor.Predict(rows.SelectMany(r => new[] { data.Features[r, 0] }).ToArray(), rows.Length);
        double mse = rows.Select((r, i) => Math.Pow(predictions.Values[i] - data.Targets[r], 2)).Average();
        Assert.True(mse < 0.05 * variance, $"validation MSE {mse} against target variance {variance}");
    }

    [Fact]
    public void Equal_settings_give_bit_identical_models_and_another_seed_does_not()
    {
        var settings = new TrainSettings { Epochs = 5 };
        ModelFile.Save(Path.Combine(_dir, "a.safetensors"), Train(settings).Model);
        ModelFile.Save(Path.Combine(_dir, "b.safetensors"), Train(settings).Model);
        ModelFile.Save(Path.Combine(_dir, "c.safetensors"), Train(settings with { Seed = 1 }, LabeledTable.FromDataset("moons", 200, 0.1, 0)).Model);
        var a = File.ReadAllBytes(Path.Combine(_dir, "a.safetensors"));
        Assert.Equal(a, File.ReadAllBytes(Path.Combine(_dir, "b.safetensors")));
        Assert.NotEqual(a, File.ReadAllBytes(Path.Combine(_dir, "c.safetensors")));
    }

    [Fact]
    public void A_resumed_run_ends_with_the_same_weights_as_an_uninterrupted_one()
    {
        var settings = new TrainSettings { Epochs = 12, Optimizer = OptimizerChoice.Sgd, Schedule = ScheduleChoice.Cosine };
        var whole = Train(settings).Trainer;

        var first = Setup(settings).Trainer;
        for (int i = 0; i < 5; i++) first.RunEpoch();
        string checkpoint = Path.Combine(_dir, "run.ckpt");
        first.SaveCheckpoint(checkpoint);

        var resumed = Setup(settings).Trainer;
        resumed.LoadCheckpoint(checkpoint);
        Assert.Equal(5, resumed.CompletedEpochs);
        while (!resumed.IsFinished) resumed.RunEpoch();

        foreach (var (name, tensor) in whole.Model.StateDict())
            Assert.Equal(tensor.ToArray(), resumed.Model.StateDict()[name].ToArray());
        Assert.Equal(whole.History.Select(m => m.Loss), resumed.History.Select(m => m.Loss));
    }

    [Fact]
    public void A_checkpoint_from_other_settings_is_refused()
    {
        var trainer = Setup(new TrainSettings { Epochs = 3 }).Trainer;
        trainer.RunEpoch();
        string checkpoint = Path.Combine(_dir, "run.ckpt");
        trainer.SaveCheckpoint(checkpoint);
        var other = Setup(new TrainSettings { Epochs = 3, LearningRate = 0.5 }).Trainer;
        var e = Assert.Throws<NablaException>(() => other.LoadCheckpoint(checkpoint));
        Assert.Contains("other settings", e.Message);
        Assert.Contains(checkpoint, e.Message);
    }

    [Fact]
    public void A_checkpoint_is_refused_when_the_data_changed_under_the_same_name_and_size()
    {
        string csv = Path.Combine(_dir, "d.csv");
        File.WriteAllText(csv, "x,y\n" + string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{i},{2 * i}")) + "\n");
        var settings = new TrainSettings { Epochs = 3, Validation = 0 };
        var trainer = Setup(settings, LabeledTable.FromCsv(csv, "y", null, TaskKind.Regression, false)).Trainer;
        trainer.RunEpoch();
        string checkpoint = Path.Combine(_dir, "d.ckpt");
        trainer.SaveCheckpoint(checkpoint);
        File.WriteAllText(csv, "x,y\n" + string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{i},{3 * i}")) + "\n");
        var resumed = Setup(settings, LabeledTable.FromCsv(csv, "y", null, TaskKind.Regression, false)).Trainer;
        Assert.Contains("other settings or data", Assert.Throws<NablaException>(() => resumed.LoadCheckpoint(checkpoint)).Message);
    }

    [Fact]
    public void A_saved_model_predicts_exactly_what_the_trainer_predicts()
    {
        var setup = Train(new TrainSettings { Epochs = 10 });
        string path = Path.Combine(_dir, "m.safetensors");
        ModelFile.Save(path, setup.Model);
        var model = ModelFile.Load(path);
        var x = Moons().Features.Values;
        var expected = setup.Model.Predictor.Predict(x, 200);
        var actual = model.Predictor.Predict(x, 200);
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Probabilities, actual.Probabilities);
        Assert.Equal(["x1", "x2"], model.Features);
        Assert.Equal([2, 16, 16, 1], model.LayerSizes);
    }

    [Theory]
    [InlineData("moons", "mse", "needs a numeric target")]
    [InlineData("sine", "bce", "needs class labels")]
    [InlineData("sine", "ce", "needs class labels")]
    public void A_loss_that_does_not_fit_the_task_is_refused(string dataset, string loss, string message)
    {
        var data = LabeledTable.FromDataset(dataset, 50, 0, 0);
        var e = Assert.Throws<NablaException>(() => Setup(new TrainSettings { Loss = TrainChoices.ParseLoss(loss) }, data));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Binary_losses_refuse_more_than_two_classes()
    {
        var spirals = LabeledTable.FromDataset("spirals", 90, 0, 0);
        var e = Assert.Throws<NablaException>(() => Setup(new TrainSettings { Loss = LossChoice.Bce }, spirals));
        Assert.Contains("exactly 2 classes", e.Message);
        Assert.Equal(LossChoice.Ce, new TrainSettings().LossFor(spirals));
    }

    [Fact]
    public void Recorded_runs_are_valid_report_records_with_snapshots_from_epoch_0_to_the_last()
    {
        var setup = Setup(new TrainSettings { Epochs = 50 });
        var trainer = setup.Trainer;
        var recorder = setup.Recorder(6);
        if (recorder.WantsSnapshot(0)) recorder.Snapshot();
        while (!trainer.IsFinished) { trainer.RunEpoch(); if (recorder.WantsSnapshot(trainer.CompletedEpochs)) recorder.Snapshot(); }
        string path = Path.Combine(_dir, "run.json");
        recorder.ToRecord().Save(path);
        var run = Nabla.Records.RunRecord.Load(path);
        Assert.Equal(50, run.Epochs.Count);
        Assert.Equal(0, run.Snapshots[0].Epoch);
        Assert.Equal(50, run.Snapshots[^1].Epoch);
        Assert.InRange(run.Snapshots.Count, 6, 7);
        Assert.Equal(40 * 40, run.Snapshots[^1].Grid!.Values.Count);
        Assert.Equal(((Nabla.Nn.Sequential<double>)trainer.Model)[0] is Nabla.Nn.Linear<double> l ? l.Weight.ToArray()[0] : double.NaN, run.Snapshots[^1].Layers[0].Weight[0][0]);
    }
}
