using System.Numerics;
using Nabla.Distributed;
using Nabla.Reports;
using Nabla.Cli.Commands;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Tests.Distributed;

/// <summary>
/// Data-parallel training on ranks that are threads (<see cref="ThreadCollectives"/>) against one process training on
/// the same global batches: the weights must agree to the last few bits in float64, on every rank.
/// </summary>
public sealed class DataParallelTrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-ddp-").FullName;

    private static Trainer<T> Make<T>(LabeledTable data, TrainSettings settings) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        new TrainSetup<T>(data, settings).Trainer;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static LabeledTable Moons(uint seed = 0) => LabeledTable.FromDataset("moons", 90, 0.1, seed);

    private static double[] Weights<T>(Trainer<T> t) where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. t.Model.StateDict().Values.SelectMany(p => p.ToArray()).Select(double.CreateChecked)];

    private static double[] Single<T>(TrainSettings settings) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var trainer = Make<T>(Moons(), settings);
        while (!trainer.IsFinished) trainer.RunEpoch();
        return Weights(trainer);
    }

    private static (double[] Weights, IReadOnlyList<EpochMetrics> History)[] Parallel<T>(int ranks, TrainSettings settings, int bucketBytes)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ThreadCollectives.Run(ranks, comm =>
        {
            var trainer = Make<T>(Moons(), settings);
            trainer.StartDataParallel(comm, bucketBytes);
            while (!trainer.IsFinished) trainer.RunEpoch();
            trainer.StopDataParallel();
            return (Weights(trainer), trainer.History);
        });

    private static double MaxDifference(double[] a, double[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    [Theory]
    // ranks, batch size, optimizer, bucket bytes: uneven shares (7 over 3), a batch smaller than the ranks (2 over 3:
    // one rank has no rows), one rank, buckets of one parameter each and one bucket for everything.
    [InlineData(2, 16, "adam", 1 << 20)]
    [InlineData(3, 7, "sgd", 8)]
    [InlineData(3, 2, "adam", 8)]
    [InlineData(1, 10, "adamw", 1 << 20)]
    [InlineData(5, 32, "sgd", 300)]
    public void Every_rank_ends_with_the_single_process_weights_in_float64(int ranks, int batchSize, string optimizer, int bucketBytes)
    {
        var settings = new TrainSettings { Epochs = 6, BatchSize = batchSize, Optimizer = TrainChoices.ParseOptimizer(optimizer), Hidden = [8, 6], WeightDecay = 0.01 };
        var single = Single<double>(settings);
        var parallel = Parallel<double>(ranks, settings, bucketBytes);
        foreach (var (weights, _) in parallel) Assert.Equal(parallel[0].Weights, weights);  // every rank, bit for bit
        double difference = MaxDifference(single, parallel[0].Weights);
        Assert.True(difference <= 1e-12, $"{ranks} ranks, batch {batchSize}: max |w - w_single| = {difference:R}");
        var reference = Make<double>(Moons(), settings);
        while (!reference.IsFinished) reference.RunEpoch();
        for (int e = 0; e < settings.Epochs; e++)
        {
            Assert.Equal(reference.History[e].Loss, parallel[0].History[e].Loss, 1e-12);
            Assert.Equal(reference.History[e].Accuracy, parallel[0].History[e].Accuracy);
            Assert.Equal(reference.History[e].ValidationLoss!.Value, parallel[0].History[e].ValidationLoss!.Value, 1e-12);
        }
    }

    [Fact]
    public void Float32_ranks_agree_with_one_process_to_float32_rounding()
    {
        // In float32 the sum over ranks adds the same terms in another order than one process's batch reduction, so
        // each step may differ by a few units of float32 rounding (ε = 6e-8 relative); Adam carries that forward. With
        // weights of order 1 and 30 steps, 1e-5 allows ~100 ulps (measured: 6e-8, one ulp); a wrong gradient is off by far more.
        var settings = new TrainSettings { Epochs = 6, BatchSize = 16, Hidden = [8, 6], DType = DTypeChoice.Float32 };
        var single = Single<float>(settings);
        var parallel = Parallel<float>(3, settings, 64);
        double difference = MaxDifference(single, parallel[0].Weights);
        Assert.True(difference <= 1e-5, $"max |w - w_single| = {difference:R}");
    }

    [Fact]
    public void Ranks_with_other_settings_are_refused_at_start_up_naming_them()
    {
        var e = Assert.Throws<NablaException>(() => ThreadCollectives.Run(3, comm =>
        {
            var settings = new TrainSettings { Epochs = 2, Seed = comm.Rank == 2 ? 1u : 0u };
            var trainer = Make<double>(Moons(), settings);
            trainer.StartDataParallel(comm);
            return 0;
        }));
        Assert.Contains("rank 2 of 3 started with other settings or data than rank 0", e.Message);
    }

    [Fact]
    public void Ranks_with_other_data_are_refused_at_start_up()
    {
        var e = Assert.Throws<NablaException>(() => ThreadCollectives.Run(2, comm =>
        {
            var trainer = Make<double>(Moons(seed: (uint)comm.Rank), new TrainSettings { Epochs = 2 });
            trainer.StartDataParallel(comm);
            return 0;
        }));
        Assert.Contains("rank 1 of 2", e.Message);
    }

    [Fact]
    public void Rank_zeros_weights_and_optimizer_state_reach_every_rank()
    {
        var results = ThreadCollectives.Run(3, comm =>
        {
            var trainer = Make<double>(Moons(), new TrainSettings { Epochs = 2 });
            if (comm.Rank != 0)
                foreach (var p in trainer.Model.Parameters()) p.AsSpan().Fill(comm.Rank);  // spoil the others' weights
            trainer.StartDataParallel(comm);
            trainer.StopDataParallel();
            return Weights(trainer);
        });
        var fresh = Weights(Make<double>(Moons(), new TrainSettings { Epochs = 2 }));
        foreach (var w in results) Assert.Equal(fresh, w);
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    public void A_checkpoint_written_with_one_rank_count_resumes_with_another(int before, int after)
    {
        var settings = new TrainSettings { Epochs = 6, BatchSize = 10, Hidden = [8] };
        string checkpoint = Path.Combine(_dir, $"run-{before}-{after}.ckpt");
        ThreadCollectives.Run(before, comm =>
        {
            var trainer = Make<double>(Moons(), settings);
            trainer.StartDataParallel(comm);
            for (int e = 0; e < 3; e++) trainer.RunEpoch();
            if (comm.Rank == 0) trainer.SaveCheckpoint(checkpoint);
            trainer.StopDataParallel();
            return 0;
        });
        var resumed = ThreadCollectives.Run(after, comm =>
        {
            var trainer = Make<double>(Moons(), settings);
            trainer.LoadCheckpoint(comm, checkpoint);
            trainer.StartDataParallel(comm);
            Assert.Equal(3, trainer.CompletedEpochs);
            while (!trainer.IsFinished) trainer.RunEpoch();
            trainer.StopDataParallel();
            return Weights(trainer);
        });
        double difference = MaxDifference(Single<double>(settings), resumed[0]);
        Assert.True(difference <= 1e-12, $"max |w - w_single| = {difference:R}");
    }

    [Fact]
    public void A_checkpoint_rank_zero_cannot_read_stops_every_rank_with_its_path()
    {
        string missing = Path.Combine(_dir, "absent.ckpt");
        var e = Assert.Throws<NablaException>(() => ThreadCollectives.Run(2, comm =>
        {
            Make<double>(Moons(), new TrainSettings { Epochs = 2 }).LoadCheckpoint(comm, missing);
            return 0;
        }));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void Buckets_hold_the_output_layer_first_and_every_parameter_once()
    {
        var trainer = Make<double>(Moons(), new TrainSettings { Hidden = [8, 6] });  // 2-8-6-1
        ThreadCollectives.Run(1, comm =>
        {
            using var parallel = new DataParallel<double>(comm, trainer.Model.Parameters(), bucketBytes: 8 * 8);
            // Parameters in reverse, a bucket closing once it holds ≥ 64 bytes: bias 1 (8 B) + weight 6 (56 B) + bias 6
            // (104 B); weight 48 (384 B); bias 8 (64 B); weight 16.
            Assert.Equal([1 + 6 + 6, 48, 8, 16], parallel.BucketLengths);
            return 0;
        });
    }
}
