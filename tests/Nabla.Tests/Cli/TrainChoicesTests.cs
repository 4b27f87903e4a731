using Nabla.Checking;
using Nabla.Cli;
using Nabla.Cli.Commands;
using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Tests.Cli;

public class TrainChoicesTests
{
    [Fact]
    public void Every_name_parses_to_the_value_that_bears_it()
    {
        foreach (var name in TrainChoices.Losses) Assert.Equal(name, TrainChoices.ParseLoss(name).Name());
        foreach (var name in TrainChoices.Optimizers) Assert.Equal(name, TrainChoices.ParseOptimizer(name).Name());
        foreach (var name in TrainChoices.Schedules) Assert.Equal(name, TrainChoices.ParseSchedule(name).Name());
        foreach (var name in TrainChoices.Activations) Assert.Equal(name, TrainChoices.ParseActivation(name).Name());
        foreach (var name in TrainChoices.DTypes) Assert.Equal(name, TrainChoices.ParseDType(name).Name());
        Assert.Equal(Enum.GetValues<LossChoice>().Length, TrainChoices.Losses.Length);
        Assert.Equal(Enum.GetValues<OptimizerChoice>().Length, TrainChoices.Optimizers.Length);
        Assert.Equal(Enum.GetValues<ScheduleChoice>().Length, TrainChoices.Schedules.Length);
        Assert.Equal(Enum.GetValues<ActivationChoice>().Length, TrainChoices.Activations.Length);
        Assert.Equal(Enum.GetValues<DTypeChoice>().Length, TrainChoices.DTypes.Length);
    }

    [Fact]
    public void An_unknown_name_is_refused_naming_the_option_never_taken_for_a_default()
    {
        Assert.Equal("--loss: 'msee' is not one of mse, bce, ce, hinge", Assert.Throws<CliException>(() => TrainChoices.ParseLoss("msee")).Message);
        Assert.Equal("--optimizer: 'Adam' is not one of sgd, adam, adamw", Assert.Throws<CliException>(() => TrainChoices.ParseOptimizer("Adam")).Message);
        Assert.Equal("--schedule: '' is not one of constant, step, linear, cosine", Assert.Throws<CliException>(() => TrainChoices.ParseSchedule("")).Message);
    }

    [Fact]
    public void Out_of_range_enum_values_are_refused()
    {
        Assert.Throws<NablaArgumentException>(() => new TrainSettings { Loss = (LossChoice)99 });
        Assert.Throws<NablaArgumentException>(() => new TrainSettings { Optimizer = (OptimizerChoice)(-1) });
        Assert.Throws<NablaArgumentException>(() => new TrainSettings { DType = (DTypeChoice)2 });
        Assert.Throws<NablaArgumentException>(() => ((ScheduleChoice)4).Name());
        var x = new Tensor<double>([1.0, 2.0], 2);
        Assert.Throws<NablaArgumentException>(() => Tensor<double>.Mse(x, x, (Reduction)7));
        Assert.Throws<NablaArgumentException>(() => Tensor<double>.CrossEntropy(new Tensor<double>([1.0, 2.0], 2), [0], (Reduction)7));
        Assert.Throws<NablaArgumentException>(() => GradCheckOptions.For((FiniteDifference)5));
    }

    [Fact]
    public void Numbers_set_in_code_meet_the_rule_of_their_flag()
    {
        Assert.Equal("--epochs must be a whole number ≥ 1, got 0", Assert.Throws<NablaException>(() => new TrainSettings { Epochs = 0 }).Message);
        Assert.Equal("--lr must be a number > 0, got -0.5", Assert.Throws<NablaException>(() => new TrainSettings { LearningRate = -0.5 }).Message);
        Assert.Equal("--validation must be a fraction in [0, 1), got 1", Assert.Throws<NablaException>(() => new TrainSettings { Validation = 1 }).Message);
        Assert.StartsWith("--hidden must be layer sizes", Assert.Throws<NablaException>(() => new TrainSettings { Hidden = [16, 0] }).Message);
        Assert.StartsWith("--hidden must be layer sizes", Assert.Throws<NablaException>(() => new TrainSettings { Hidden = [] }).Message);
        Assert.Equal("--checkpoint-every must be a whole number ≥ 1, got 0",
            Assert.Throws<NablaException>(() => new TrainOutputs(null, null, 0, false, null, null, null, 30, "nabla train")).Message);
    }
}
