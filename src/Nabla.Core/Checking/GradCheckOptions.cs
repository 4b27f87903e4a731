namespace Nabla.Checking;

/// <summary>How a numeric derivative is taken.</summary>
public enum FiniteDifference
{
    /// <summary>(f(v + h) − f(v)) / h: the notebooks' convention. Error of order h.</summary>
    Forward,

    /// <summary>(f(v + h) − f(v − h)) / 2h: PyTorch gradcheck's. Error of order h².</summary>
    Central,
}

/// <summary>
/// How <see cref="GradCheck"/> compares: the difference method, its step h, and the tolerance
/// test |analytic − numeric| ≤ atol + rtol·|numeric| (NumPy's <c>allclose</c>, and PyTorch's gradcheck).
/// </summary>
public sealed record GradCheckOptions
{
    /// <summary>Central differences, h = 1e-6, atol 1e-5, rtol 1e-3: PyTorch gradcheck's defaults.</summary>
    public static GradCheckOptions Central { get; } = new();

    /// <summary>Forward differences, h = 1e-6, atol 1e-8, rtol 1e-5: the notebooks' convention (NumPy <c>allclose</c> defaults).</summary>
    public static GradCheckOptions Forward { get; } = new()
    {
        Method = FiniteDifference.Forward, AbsoluteTolerance = 1e-8, RelativeTolerance = 1e-5,
    };

    /// <summary>The defaults of <paramref name="method"/>: <see cref="Forward"/> or <see cref="Central"/>.</summary>
    public static GradCheckOptions For(FiniteDifference method) => Limits.Defined(method, nameof(method)) == FiniteDifference.Forward ? Forward : Central;

    /// <summary>The difference method; central by default.</summary>
    public FiniteDifference Method { get; init; } = FiniteDifference.Central;

    /// <summary>The step h a variable is moved by; positive and finite.</summary>
    public double Step
    {
        get;
        init => field = double.IsFinite(value) && value > 0 ? value : throw new NablaException($"the finite-difference step must be a positive number, not {value}");
    } = 1e-6;

    /// <summary>atol in |a − n| ≤ atol + rtol·|n|; zero or positive.</summary>
    public double AbsoluteTolerance
    {
        get;
        init => field = value >= 0 ? value : throw new NablaException($"the absolute tolerance must be zero or positive, not {value}");
    } = 1e-5;

    /// <summary>rtol in |a − n| ≤ atol + rtol·|n|; zero or positive.</summary>
    public double RelativeTolerance
    {
        get;
        init => field = value >= 0 ? value : throw new NablaException($"the relative tolerance must be zero or positive, not {value}");
    } = 1e-3;

    /// <summary>"central differences" or "forward differences".</summary>
    public string MethodName => Method == FiniteDifference.Forward ? "forward differences" : "central differences";
}
