using System.Diagnostics;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Nabla.Tests.Fuzzing;

/// <summary>What one input did: a valid result, a clean <see cref="NablaException"/>, or a result the oracle rejected.</summary>
internal enum Outcome { Valid, CleanError, WrongResult }

/// <summary>The tally of one fuzz run, printed by every run and checked by the test.</summary>
internal sealed record FuzzStats(string Name, ulong Seed, int Tried, int Valid, int CleanErrors, int Escapes, int Wrong, int Slow, long MaxAllocated)
{
    public override string ToString() =>
        $"fuzz {Name}: seed {Seed}, {Tried} inputs: {Valid} valid, {CleanErrors} clean errors, {Escapes} escapes, {Wrong} silently wrong, " +
        $"{Slow} slower than {Fuzz.SlowSeconds} s (hang suspects), largest allocation {MaxAllocated / 1e6:F1} MB";
}

/// <summary>
/// A small fuzzing harness over FsCheck generators: draws <c>count</c> inputs from a generator with a fixed seed
/// (so a failure reproduces), runs each through the code under test, and classifies the outcome. Any exception
/// that is not a <see cref="NablaException"/> is an escape; an oracle that rejects a result is a silently wrong
/// answer; an input that allocates more than its budget is a huge allocation. The first problem fails the test
/// with the seed, the input's index and an excerpt of the input. Crashes kill the test process, so they show as a
/// failed run. Inputs slower than <see cref="SlowSeconds"/> are counted as hang suspects and reported, never timed
/// out (unit tests carry no time limits).
/// <para>NABLA_FUZZ_LONG=N multiplies every count by N (the before-release run, tests/fuzz-long.sh);
/// NABLA_FUZZ_SEED=S replaces the fixed seeds (a long run with a fresh seed finds new inputs).</para>
/// </summary>
internal static class Fuzz
{
    public const double SlowSeconds = 5;

    public static int Multiplier { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("NABLA_FUZZ_LONG"), out var m) && m > 1 ? m : 1;

    private static ulong? SeedOverride { get; } =
        ulong.TryParse(Environment.GetEnvironmentVariable("NABLA_FUZZ_SEED"), out var s) ? s : null;

    /// <summary>Runs <paramref name="count"/> × <see cref="Multiplier"/> inputs and returns the tally; throws on the first escape, wrong result or huge allocation.</summary>
    public static FuzzStats Run<T>(string name, Gen<T> gen, int count, ulong seed, Func<T, Outcome> check, Func<T, string> describe,
        long allocationBudget = 256_000_000, int size = 40)
    {
        seed = SeedOverride ?? seed;
        int total = count * Multiplier;
        int valid = 0, clean = 0, slow = 0, tried = 0, escapes = 0, wrong = 0, huge = 0;
        string? firstProblem = null;
        // Distinct kinds of problem (exception type and where it was thrown, or a wrong result), each with its first input.
        var kinds = new Dictionary<string, string>();
        long maxAllocated = 0;
        const int Batch = 100;
        for (int b = 0; tried < total; b++)
        {
            var inputs = Gen.Sample(gen, size, new Rnd(seed + (ulong)b * 0x9E3779B97F4A7C15UL), Math.Min(Batch, total - tried));
            foreach (var input in inputs)
            {
                int index = tried++;
                string Where() => $"fuzz {name}: seed {seed}, batch {b}, input #{index} ({Cut(describe(input))}); reproduce with NABLA_FUZZ_SEED={seed}";
                long before = GC.GetAllocatedBytesForCurrentThread();
                var clock = Stopwatch.StartNew();
                Outcome? outcome;
                try
                {
                    outcome = check(input);
                }
                catch (NablaException)
                {
                    outcome = Outcome.CleanError;
                }
                catch (Exception e) when (e is not Xunit.Sdk.IAssertionException)
                {
                    escapes++;
                    firstProblem ??= $"{Where()}: escaped as {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
                    string at = e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains(" in ", StringComparison.Ordinal))?.Trim() ?? "";
                    kinds.TryAdd($"{e.GetType().Name} {at}", $"{Where()}: {e.GetType().Name}: {e.Message} {at}");
                    outcome = null;
                }
                if (clock.Elapsed.TotalSeconds > SlowSeconds) slow++;
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                maxAllocated = Math.Max(maxAllocated, allocated);
                if (allocated > allocationBudget)
                {
                    huge++;
                    firstProblem ??= $"{Where()}: allocated {allocated:N0} bytes, more than the {allocationBudget:N0} budget";
                }
                if (outcome == Outcome.WrongResult)
                {
                    wrong++;
                    firstProblem ??= $"{Where()}: the result is wrong";
                    if (kinds.Count < 20) kinds.TryAdd($"wrong {index}", $"{Where()}: the result is wrong");
                }
                if (outcome == Outcome.Valid) valid++;
                if (outcome == Outcome.CleanError) clean++;
            }
        }
        // Every input runs even after a problem, so the long run's figures count them all; then the first one fails the test.
        var stats = new FuzzStats(name, seed, tried, valid, clean, escapes, wrong, slow, maxAllocated);
        Report(stats);
        if (firstProblem is not null)
            throw new Xunit.Sdk.XunitException($"{firstProblem}\n{stats} ({huge} over the allocation budget)\nkinds of problem:\n  "
                + string.Join("\n  ", kinds.Values.Take(20)));
        return stats;
    }

    /// <summary>Prints the tally to the test output and, with NABLA_FUZZ_REPORT=file, appends it there (the long run's figures).</summary>
    private static void Report(FuzzStats stats)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(stats.ToString());
        if (Environment.GetEnvironmentVariable("NABLA_FUZZ_REPORT") is { Length: > 0 } file)
            lock (typeof(Fuzz)) File.AppendAllText(file, stats.ToString() + Environment.NewLine);
    }

    /// <summary>Doubles worth trying: ordinary, huge, tiny, signed zero, NaN and infinities.</summary>
    public static Gen<double> Doubles { get; } = Gen.Frequency(
        (6, Gen.Choose(-1000, 1000).Select(i => i / 8.0)),
        (2, Gen.Elements(0.0, -0.0, 1e200, -1e200, 1.7976931348623157e308, double.Epsilon, 1e-310, 3e9, -3e9)),
        (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity)));

    /// <summary>An input's description for a failure message: whole up to 400 characters, so the input can be rebuilt.</summary>
    private static string Cut(string text) => text.Length <= 400 ? text : $"{text[..400]}… ({text.Length} characters)";

    public static string Text(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
