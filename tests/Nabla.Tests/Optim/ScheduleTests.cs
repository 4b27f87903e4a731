using Nabla.Optim;

namespace Nabla.Tests.Optim;

public class ScheduleTests
{
    [Fact]
    public void Constant_schedule_never_changes() => Assert.Equal(0.1, new ConstantSchedule(0.1).At(1000));

    [Fact]
    public void Step_schedule_multiplies_by_gamma_every_step_size_epochs()
    {
        var s = new StepSchedule(1.0, stepSize: 3, gamma: 0.5);
        Assert.Equal(new[] { 1, 1, 1, 0.5, 0.5, 0.5, 0.25 }, Enumerable.Range(0, 7).Select(s.At));
    }

    [Fact]
    public void Linear_decay_goes_in_a_straight_line_then_stays()
    {
        var s = new LinearDecaySchedule(1.0, 0.2, totalSteps: 4);
        Assert.Equal(new[] { 1.0, 0.8, 0.6, 0.4, 0.2, 0.2 }, Enumerable.Range(0, 6).Select(t => Math.Round(s.At(t), 15)));
    }

    [Fact]
    public void Cosine_schedule_is_half_way_at_half_time_and_minimum_at_the_end()
    {
        var s = new CosineSchedule(1.0, totalSteps: 10, minimum: 0.1);
        Assert.Equal(1.0, s.At(0));
        Assert.Equal(0.55, s.At(5), 15);
        Assert.Equal(0.1, s.At(10), 15);
        Assert.Equal(0.1, s.At(20), 15);
        Assert.Equal(0.1 + 0.9 * (1 + Math.Cos(Math.PI * 0.3)) / 2, s.At(3), 15);
    }

    [Fact]
    public void Negative_steps_are_rejected() => Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1, 10).At(-1));
}
