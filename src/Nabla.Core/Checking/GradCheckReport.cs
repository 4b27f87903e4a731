using System.Globalization;

namespace Nabla.Checking;

/// <summary>One variable's comparison.</summary>
/// <param name="Name">The variable.</param>
/// <param name="Analytic">The gradient to check (from backpropagation).</param>
/// <param name="Numeric">The finite-difference estimate.</param>
/// <param name="AbsError">|analytic − numeric|.</param>
/// <param name="RelError">|analytic − numeric| / max(|analytic|, |numeric|), and 0 when both are 0.</param>
/// <param name="Passed">|analytic − numeric| ≤ atol + rtol·|numeric|, both finite.</param>
public sealed record GradCheckEntry(string Name, double Analytic, double Numeric, double AbsError, double RelError, bool Passed)
{
    /// <summary>How far past the tolerance: |a − n| / (atol + rtol·|n|); above 1 fails; infinite when a value is not finite.</summary>
    public double Excess { get; init; }
}

/// <summary>
/// The outcome of <see cref="GradCheck.Check"/>: one entry per variable, whether all passed, and
/// on failure a message naming the worst variable in the shape of PyTorch's gradcheck messages.
/// </summary>
public sealed class GradCheckReport(GradCheckOptions options, IReadOnlyList<GradCheckEntry> entries)
{
    /// <summary>The method, step and tolerances the check used.</summary>
    public GradCheckOptions Options { get; } = options;

    /// <summary>One comparison per variable, in the order checked.</summary>
    public IReadOnlyList<GradCheckEntry> Entries { get; } = entries;

    /// <summary>True when every entry passed (also when there are none).</summary>
    public bool Passed => Entries.All(e => e.Passed);

    /// <summary>The failed entry furthest past the tolerance, or null when all passed.</summary>
    public GradCheckEntry? Worst => Entries.Where(e => !e.Passed).MaxBy(e => e.Excess);

    /// <summary>
    /// Null when all passed; otherwise, e.g.
    /// <code>
    /// Gradient check failed: mismatch with respect to omega0 (central differences, step 1E-06),
    /// numerical: 5.246...
    /// analytical: 6
    /// |analytical - numerical| = 0.75... > atol + rtol·|numerical| = 1E-05 + 0.001·5.246... = 0.0052...
    /// 1 of 10 variables failed.
    /// </code>
    /// with both values written so they round-trip.
    /// </summary>
    public string? Message
    {
        get
        {
            if (Worst is not { } w) return null;
            var o = Options;
            int failed = Entries.Count(e => !e.Passed);
            return $"Gradient check failed: mismatch with respect to {w.Name} ({o.MethodName}, step {R(o.Step)}),\n" +
                   $"numerical: {R(w.Numeric)}\n" +
                   $"analytical: {R(w.Analytic)}\n" +
                   $"|analytical - numerical| = {R(w.AbsError)} > atol + rtol·|numerical| = {R(o.AbsoluteTolerance)} + {R(o.RelativeTolerance)}·{R(Math.Abs(w.Numeric))} = {R(o.AbsoluteTolerance + o.RelativeTolerance * Math.Abs(w.Numeric))}\n" +
                   $"{failed} of {Entries.Count} variable{(Entries.Count == 1 ? "" : "s")} failed.";
        }
    }

    /// <summary>One line: "gradient check (central differences, step 1E-06, |a - n| ≤ 1E-05 + 0.001·|n|): all 10 passed" or "... 2 of 10 failed".</summary>
    public string Summary
    {
        get
        {
            var o = Options;
            int failed = Entries.Count(e => !e.Passed);
            string outcome = failed == 0 ? $"all {Entries.Count} passed" : $"{failed} of {Entries.Count} failed";
            return $"gradient check ({o.MethodName}, step {R(o.Step)}, |a - n| ≤ {R(o.AbsoluteTolerance)} + {R(o.RelativeTolerance)}·|n|): {outcome}";
        }
    }

    /// <summary>Throws a <see cref="GradCheckException"/> with <see cref="Message"/> unless all passed.</summary>
    public void EnsurePassed()
    {
        if (Message is { } message) throw new GradCheckException(message, this);
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A gradient check that failed; <see cref="Report"/> has every entry.</summary>
public sealed class GradCheckException(string message, GradCheckReport report) : NablaException(message)
{
    /// <summary>The full report of the failed check.</summary>
    public GradCheckReport Report { get; } = report;
}
