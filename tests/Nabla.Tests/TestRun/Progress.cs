using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Nabla.Tests.TestRun;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestPipelineStartup(typeof(Progress))]
[assembly: CountFinishedTests]

namespace Nabla.Tests.TestRun;

/// <summary>
/// A progress line every 15 seconds while the tests run: how many have finished, and which have been running for
/// more than 15 seconds. Without it <c>dotnet test</c> prints nothing between the build and the totals. The lines go
/// out as xunit diagnostic messages (xunit.runner.json turns them on), which the console logger shows as they come.
/// </summary>
public sealed class Progress : ITestPipelineStartup
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(15);
    private static readonly Stopwatch Clock = new();
    private static readonly ConcurrentDictionary<IXunitTest, long> Running = new();
    private static int _finished;
    private Timer? _timer;

    public ValueTask StartAsync(IMessageSink diagnosticMessageSink)
    {
        Clock.Restart();
        _timer = new Timer(_ => diagnosticMessageSink.OnMessage(new DiagnosticMessage(Line())), null, Every, Every);
        return ValueTask.CompletedTask;
    }

    public async ValueTask StopAsync()
    {
        if (_timer is not null) await _timer.DisposeAsync();
    }

    internal static void Started(IXunitTest test) => Running[test] = Clock.ElapsedMilliseconds;

    internal static void Finished(IXunitTest test)
    {
        Running.TryRemove(test, out _);
        Interlocked.Increment(ref _finished);
    }

    /// <summary>"2851 tests finished after 2:15; running over 15 s: NativeAotTests.The_… (1:40)", the four longest-running named.</summary>
    private static string Line()
    {
        long now = Clock.ElapsedMilliseconds;
        var slow = Running.Where(r => now - r.Value >= Every.TotalMilliseconds).OrderBy(r => r.Value).Take(4)
            .Select(r => $"{r.Key.TestCase.TestClassSimpleName}.{r.Key.TestCase.TestMethodName} ({Minutes(now - r.Value)})").ToList();
        string line = $"{Volatile.Read(ref _finished)} tests finished after {Minutes(now)}";
        return slow.Count == 0 ? line : $"{line}; running over 15 s: {string.Join(", ", slow)}";
    }

    private static string Minutes(long milliseconds) =>
        TimeSpan.FromMilliseconds(milliseconds).ToString(@"m\:ss", CultureInfo.InvariantCulture);
}

/// <summary>Tells <see cref="Progress"/> when each test starts and finishes.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class CountFinishedTestsAttribute : BeforeAfterTestAttribute
{
    public override void Before(MethodInfo methodUnderTest, IXunitTest test) => Progress.Started(test);

    public override void After(MethodInfo methodUnderTest, IXunitTest test) => Progress.Finished(test);
}
