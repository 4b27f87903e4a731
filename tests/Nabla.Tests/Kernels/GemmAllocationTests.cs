using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>The packing buffers are pooled: repeated products do not allocate them again.</summary>
public class GemmAllocationTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(1024)]
    public void Repeated_single_threaded_products_allocate_no_packing_buffers(int n)
    {
        var a = new float[n * n]; var b = new float[n * n]; var c = new float[n * n];
        void Run() => GemmPacked.Multiply<float, Vector6x2<float>>(false, true, n, n, n, a, n, b, n, c, n, false, GemmBlocking.Float, threads: 1);
        Run();
        long allocated = AllocationMeasure.Least(Run);
        // A buffer is ≥ 144·256·4 B = 144 KiB; anything below 1 KiB is bookkeeping, not a buffer.
        Assert.True(allocated < 1024, $"second {n}×{n}×{n} product allocated {allocated} bytes on the calling thread");
    }
}
