namespace Nabla.Cli.Commands;

/// <summary>The hidden layers' activation of an MLP (<c>--activation</c>).</summary>
public enum ActivationChoice { Relu, Tanh, Sigmoid, Sin }

/// <summary>The loss (<c>--loss</c>): mean squared error, binary cross-entropy, cross-entropy, hinge.</summary>
public enum LossChoice { Mse, Bce, Ce, Hinge }

/// <summary>The optimizer (<c>--optimizer</c>).</summary>
public enum OptimizerChoice { Sgd, Adam, AdamW }

/// <summary>The learning-rate schedule (<c>--schedule</c>).</summary>
public enum ScheduleChoice { Constant, Step, Linear, Cosine }

/// <summary>The precision of a run (<c>--dtype</c>).</summary>
public enum DTypeChoice { Float32, Float64 }

/// <summary>
/// The names <c>nabla train</c> takes for each choice, in enum order (the name of value v is <c>Names[(int)v]</c>);
/// a name is parsed once, where the command reads it, and an unknown name is an error, never a default.
/// </summary>
public static class TrainChoices
{
    /// <summary>The activation names, in <see cref="ActivationChoice"/> order.</summary>
    public static readonly string[] Activations = ["relu", "tanh", "sigmoid", "sin"];
    /// <summary>The loss names, in <see cref="LossChoice"/> order.</summary>
    public static readonly string[] Losses = ["mse", "bce", "ce", "hinge"];
    /// <summary>The optimizer names, in <see cref="OptimizerChoice"/> order.</summary>
    public static readonly string[] Optimizers = ["sgd", "adam", "adamw"];
    /// <summary>The schedule names, in <see cref="ScheduleChoice"/> order.</summary>
    public static readonly string[] Schedules = ["constant", "step", "linear", "cosine"];
    /// <summary>The precision names, in <see cref="DTypeChoice"/> order.</summary>
    public static readonly string[] DTypes = ["float32", "float64"];

    /// <summary>The activation's name, as <see cref="Nn.Activation.Create{T}"/> and model files know it.</summary>
    public static string Name(this ActivationChoice value) => Activations[Index(value, Activations)];
    /// <summary>The loss's name, as model files and run records store it.</summary>
    public static string Name(this LossChoice value) => Losses[Index(value, Losses)];
    /// <summary>The optimizer's name.</summary>
    public static string Name(this OptimizerChoice value) => Optimizers[Index(value, Optimizers)];
    /// <summary>The schedule's name.</summary>
    public static string Name(this ScheduleChoice value) => Schedules[Index(value, Schedules)];
    /// <summary>The precision's name.</summary>
    public static string Name(this DTypeChoice value) => DTypes[Index(value, DTypes)];

    /// <summary>The activation called <paramref name="text"/>; an unknown name is an error naming <paramref name="option"/>.</summary>
    public static ActivationChoice ParseActivation(string text, string option = "--activation") => (ActivationChoice)Parse(option, text, Activations);
    /// <summary>The loss called <paramref name="text"/>.</summary>
    public static LossChoice ParseLoss(string text, string option = "--loss") => (LossChoice)Parse(option, text, Losses);
    /// <summary>The optimizer called <paramref name="text"/>.</summary>
    public static OptimizerChoice ParseOptimizer(string text, string option = "--optimizer") => (OptimizerChoice)Parse(option, text, Optimizers);
    /// <summary>The schedule called <paramref name="text"/>.</summary>
    public static ScheduleChoice ParseSchedule(string text, string option = "--schedule") => (ScheduleChoice)Parse(option, text, Schedules);
    /// <summary>The precision called <paramref name="text"/>.</summary>
    public static DTypeChoice ParseDType(string text, string option = "--dtype") => (DTypeChoice)Parse(option, text, DTypes);

    private static int Parse(string option, string text, string[] names) =>
        Array.IndexOf(names, text) is var i and >= 0 ? i : throw new CliException($"{option}: '{text}' is not one of {string.Join(", ", names)}");

    private static int Index<TEnum>(TEnum value, string[] names) where TEnum : struct, Enum
    {
        int i = Convert.ToInt32(Limits.Defined(value, nameof(value)), System.Globalization.CultureInfo.InvariantCulture);
        return i < names.Length ? i : throw new ArgumentOutOfRangeException(nameof(value), value, $"no name for {typeof(TEnum).Name} {value}");
    }
}
