using Nabla.Nn;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Tests.Reliability;

/// <summary>Issue 11, item 9: public API arguments are checked, named, and refused before anything is allocated.</summary>
public class ArgumentReliabilityTests
{
    [Theory]
    [InlineData(0, 5, int.MaxValue)]
    [InlineData(1, 5, 1_000_000_000)]
    [InlineData(-5, 5, 7)]
    [InlineData(0, 5, 2)]
    [InlineData(-100, int.MaxValue, 3)]
    [InlineData(int.MinValue, -2, 4)]
    [InlineData(3, 3, int.MaxValue)]
    public void Slice_follows_python_for_any_step(int start, int end, int step)
    {
        var x = Tensor<double>.Arange(5);
        // Python's range(*slice(start, end, step).indices(5)), computed independently of Slice.
        var expected = new List<double>();
        long n = 5, s = start < 0 ? Math.Max(0, start + n) : Math.Min(start, n), e = end < 0 ? Math.Max(0, end + n) : Math.Min(end, n);
        for (long i = s; i < e; i += step) expected.Add(i);
        Assert.Equal(expected, x.Slice(0, start, end, step).ToArray());
    }

    [Theory]
    [InlineData(0.0, 3e9, 1.0, "stop", "would hold 3E+09 elements")]
    [InlineData(0.0, double.PositiveInfinity, 1.0, "stop", "stop is ∞")]
    [InlineData(0.0, double.NaN, 1.0, "stop", "stop is NaN")]
    [InlineData(double.NaN, 1.0, 1.0, "start", "start is NaN")]
    [InlineData(0.0, 1.0, double.NaN, "step", "step is NaN")]
    [InlineData(0.0, 1.0, 0.0, "step", "step is 0")]
    public void Arange_refuses_bad_arguments_by_name(double start, double stop, double step, string parameter, string expected)
    {
        var e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.Arange(start, stop, step));
        Assert.Equal(parameter, e.Parameter);
        Assert.Contains(expected, e.Message.Replace("Infinity", "∞"));
    }

    [Fact]
    public void Huge_counts_are_refused_before_allocating()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal("stop", Assert.Throws<NablaArgumentException>(() => Tensor<double>.Arange(int.MaxValue)).Parameter);
        Assert.Equal("stop", Assert.Throws<NablaArgumentException>(() => Tensor<float>.Arange(int.MaxValue)).Parameter);
        Assert.Equal("count", Assert.Throws<NablaArgumentException>(() => Tensor<double>.Linspace(0, 1, int.MaxValue)).Parameter);
        Assert.Equal("count", Assert.Throws<NablaArgumentException>(() => Tensor<double>.Linspace(0, 1, -1)).Parameter);
        Assert.Equal("stop", Assert.Throws<NablaArgumentException>(() => Tensor<double>.Linspace(0, double.NaN, 3)).Parameter);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    [Fact]
    public void A_float_arange_whose_span_overflows_float_is_counted_in_double()
    {
        var e = Assert.Throws<NablaArgumentException>(() => Tensor<float>.Arange(-3e38f, 3e38f, 1f));
        Assert.Contains("would hold 6E+38 elements", e.Message);
    }

    [Fact]
    public void A_shape_with_a_zero_dimension_is_empty_however_large_the_others()
    {
        var t = Tensor<double>.Zeros(65536, 65536, 0);
        Assert.Equal([65536, 65536, 0], t.Shape);
        Assert.Equal(0, t.ElementCount);
        Assert.Contains("the most a tensor holds", Assert.Throws<NablaException>(() => Tensor<double>.Zeros(65536, 65536, 1)).Message);
    }

    [Fact]
    public void Linear_and_optimizers_name_the_bad_argument_as_Mlp_does()
    {
        Assert.Equal("inFeatures", Assert.Throws<NablaArgumentException>(() => new Linear<double>(-1, 2)).Parameter);
        Assert.Equal("outFeatures", Assert.Throws<NablaArgumentException>(() => new Linear<double>(2, -1)).Parameter);
        var ps = new[] { Tensor<double>.Zeros(1).RequireGrad() };
        var e = Assert.Throws<NablaArgumentException>(() => new Sgd<double>(ps, double.NaN));
        Assert.Equal("learningRate", e.Parameter);
        Assert.Equal("Sgd: learningRate is NaN; it must be finite and ≥ 0", e.Message);
        Assert.Equal("learningRate", Assert.Throws<NablaArgumentException>(() => new Adam<double>(ps, double.PositiveInfinity)).Parameter);
        Assert.Equal("momentum", Assert.Throws<NablaArgumentException>(() => new Sgd<double>(ps, 0.1, momentum: double.NaN)).Parameter);
        Assert.Equal("eps", Assert.Throws<NablaArgumentException>(() => new Adam<double>(ps, eps: double.NaN)).Parameter);
    }
}
