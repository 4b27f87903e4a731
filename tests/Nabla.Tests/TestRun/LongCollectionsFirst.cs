using Nabla.Tests.Packaging;
using Nabla.Tests.Samples;
using Nabla.Tests.TestRun;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(LongCollectionsFirst))]

namespace Nabla.Tests.TestRun;

/// <summary>
/// Starts the two collections that run for minutes (the Native AOT builds; the samples, README programs and packages
/// built with dotnet) before the thousands of short tests, so they run beside the short ones instead of after them.
/// </summary>
public sealed class LongCollectionsFirst : ITestCollectionOrderer
{
    private static readonly string[] First = [NativeBuild.Collection, SampleRunner.Collection];

    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection
    {
        var rest = DefaultTestCollectionOrderer.Instance.OrderTestCollections(testCollections);
        return [.. rest.OrderBy(c => Array.IndexOf(First, c.TestCollectionDisplayName) is int i and >= 0 ? i : First.Length)];
    }
}
