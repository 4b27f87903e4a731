namespace Nabla.Optim;

/// <summary>
/// A learning-rate schedule: maps a step or epoch number t (0 for the first) to a learning rate. Use it as
/// <c>optimizer.LearningRate = schedule.At(epoch)</c> at the start of each epoch (or step).
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for step or epoch <paramref name="t"/> ≥ 0.</summary>
    double At(int t);
}

/// <summary>lr(t) = <paramref name="learningRate"/> for every t.</summary>
public sealed class ConstantSchedule(double learningRate) : ILearningRateSchedule
{
    /// <summary>The learning rate returned for every t.</summary>
    public double LearningRate { get; } = Schedule.Check(learningRate, nameof(learningRate));
    /// <summary>Returns <see cref="LearningRate"/>, whatever <paramref name="t"/> is.</summary>
    public double At(int t) => LearningRate;
}

/// <summary>lr(t) = lr₀ · γ^⌊t / stepSize⌋, PyTorch's <c>StepLR</c>: multiplied by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
public sealed class StepSchedule(double initial, int stepSize, double gamma = 0.1) : ILearningRateSchedule
{
    /// <summary>lr₀, the learning rate for the first <see cref="StepSize"/> epochs.</summary>
    public double Initial { get; } = Schedule.Check(initial, nameof(initial));
    /// <summary>How many epochs pass between multiplications by <see cref="Gamma"/>.</summary>
    public int StepSize { get; } = stepSize > 0 ? stepSize : throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "must be > 0");
    /// <summary>γ, the factor the learning rate is multiplied by every <see cref="StepSize"/> epochs.</summary>
    public double Gamma { get; } = Schedule.Check(gamma, nameof(gamma));
    /// <summary>lr₀ · γ^⌊t / stepSize⌋.</summary>
    public double At(int t) => Initial * Math.Pow(Gamma, Schedule.T(t) / StepSize);
}

/// <summary>lr(t) = lr₀ + (lr_end − lr₀) · min(t, T)/T: a straight line from <paramref name="initial"/> to <paramref name="final"/> over <paramref name="totalSteps"/> T, then flat.</summary>
public sealed class LinearDecaySchedule(double initial, double final, int totalSteps) : ILearningRateSchedule
{
    /// <summary>lr₀, the learning rate at t = 0.</summary>
    public double Initial { get; } = Schedule.Check(initial, nameof(initial));
    /// <summary>lr_end, the learning rate from t = T on.</summary>
    public double Final { get; } = Schedule.Check(final, nameof(final));
    /// <summary>T, the number of steps the decay takes.</summary>
    public int TotalSteps { get; } = totalSteps > 0 ? totalSteps : throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "must be > 0");
    /// <summary>lr₀ + (lr_end − lr₀) · min(t, T)/T.</summary>
    public double At(int t) => Initial + (Final - Initial) * Math.Min(Schedule.T(t), TotalSteps) / TotalSteps;
}

/// <summary>
/// lr(t) = lr_min + (lr₀ − lr_min) · (1 + cos(π · min(t, T)/T)) / 2, PyTorch's <c>CosineAnnealingLR</c> closed form:
/// from <paramref name="initial"/> at t = 0 down to <paramref name="minimum"/> at t = T = <paramref name="totalSteps"/>, then flat.
/// </summary>
public sealed class CosineSchedule(double initial, int totalSteps, double minimum = 0) : ILearningRateSchedule
{
    /// <summary>lr₀, the learning rate at t = 0.</summary>
    public double Initial { get; } = Schedule.Check(initial, nameof(initial));
    /// <summary>T, the number of steps from lr₀ down to lr_min.</summary>
    public int TotalSteps { get; } = totalSteps > 0 ? totalSteps : throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "must be > 0");
    /// <summary>lr_min, the learning rate from t = T on.</summary>
    public double Minimum { get; } = Schedule.Check(minimum, nameof(minimum));
    /// <summary>lr_min + (lr₀ − lr_min) · (1 + cos(π · min(t, T)/T)) / 2.</summary>
    public double At(int t) => Minimum + (Initial - Minimum) * (1 + Math.Cos(Math.PI * Math.Min(Schedule.T(t), TotalSteps) / TotalSteps)) / 2;
}

internal static class Schedule
{
    public static double Check(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "must be finite and ≥ 0");

    public static int T(int t) => t >= 0 ? t : throw new ArgumentOutOfRangeException(nameof(t), t, "a step or epoch number must be ≥ 0");
}
