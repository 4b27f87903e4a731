using Nabla.Serialization;

namespace Nabla.Tests.Serialization;

public class SafeTensorTests
{
    private static SafeTensor Raw(SafeTensorDType dtype, int count, params byte[] bytes) => new("t", dtype, [count], bytes);

    [Fact]
    public void F16_is_converted_exactly()
    {
        // 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504 (largest), 0x0001 = 2^-24 (smallest subnormal), 0x7C00 = +inf.
        var t = Raw(SafeTensorDType.F16, 5, 0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00, 0x00, 0x7C);
        Assert.Equal(new[] { 1.0, -2.0, 65504.0, Math.Pow(2, -24), double.PositiveInfinity }, t.ToDoubleArray());
        Assert.Equal(new[] { 1f, -2f, 65504f, MathF.Pow(2, -24), float.PositiveInfinity }, t.ToFloatArray());
    }

    [Fact]
    public void BF16_is_the_upper_half_of_a_float()
    {
        // 0x3F80 = 1.0, 0x4049 = 3.140625, 0xBF00 = -0.5.
        var t = Raw(SafeTensorDType.BF16, 3, 0x80, 0x3F, 0x49, 0x40, 0x00, 0xBF);
        Assert.Equal(new[] { 1.0, 3.140625, -0.5 }, t.ToDoubleArray());
    }

    [Fact]
    public void Integers_and_bools_convert_by_value()
    {
        Assert.Equal(new[] { 0.0, 1, 1 }, Raw(SafeTensorDType.BOOL, 3, 0, 1, 7).ToDoubleArray());
        Assert.Equal(new[] { 255.0, 0 }, Raw(SafeTensorDType.U8, 2, 255, 0).ToDoubleArray());
        Assert.Equal(new[] { -1.0, 2 }, Raw(SafeTensorDType.I32, 2, 0xFF, 0xFF, 0xFF, 0xFF, 2, 0, 0, 0).ToDoubleArray());
        Assert.Equal(new long[] { -1, 2 }, Raw(SafeTensorDType.I32, 2, 0xFF, 0xFF, 0xFF, 0xFF, 2, 0, 0, 0).ToInt64Array());
        Assert.Equal(new[] { -128.0 }, Raw(SafeTensorDType.I8, 1, 0x80).ToDoubleArray());
        Assert.Equal(new[] { 65535.0 }, Raw(SafeTensorDType.U16, 1, 0xFF, 0xFF).ToDoubleArray());
        Assert.Equal(new[] { 4294967295.0 }, Raw(SafeTensorDType.U32, 1, 0xFF, 0xFF, 0xFF, 0xFF).ToDoubleArray());
        Assert.Equal(new[] { 18446744073709551615.0 }, Raw(SafeTensorDType.U64, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF).ToDoubleArray());
    }

    [Fact]
    public void FromDoubles_to_F32_rounds_to_nearest()
    {
        var t = SafeTensor.FromDoubles("w", [2], [0.1, 1 + Math.Pow(2, -24)], SafeTensorDType.F32);
        Assert.Equal(SafeTensorDType.F32, t.DType);
        Assert.Equal(new[] { 0.1f, 1f }, t.ToFloatArray());
        Assert.Equal(8, t.Data.Length);
    }

    [Fact]
    public void FromDoubles_to_I64_refuses_fractions()
    {
        Assert.Equal(new long[] { -3, 4 }, SafeTensor.FromDoubles("n", [2], [-3.0, 4.0], SafeTensorDType.I64).ToInt64Array());
        var ex = Assert.Throws<ArgumentException>(() => SafeTensor.FromDoubles("n", [2], [1.0, 2.5], SafeTensorDType.I64));
        Assert.Contains("element 1 = 2.5 is not an integer", ex.Message);
        Assert.Throws<ArgumentException>(() => SafeTensor.FromDoubles("n", [1], [double.NaN], SafeTensorDType.I64));
    }

    [Fact]
    public void Writing_other_dtypes_from_doubles_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SafeTensor.FromDoubles("h", [1], [1.0], SafeTensorDType.F16));
    }

    [Fact]
    public void The_element_count_must_match_the_shape()
    {
        var ex = Assert.Throws<ArgumentException>(() => SafeTensor.FromDoubles("w", [2, 3], [1.0, 2.0]));
        Assert.Contains("shape [2, 3] holds 6 elements, got 2", ex.Message);
        Assert.Throws<ArgumentException>(() => new SafeTensor("w", SafeTensorDType.F32, [3], new byte[8]));
        Assert.Throws<ArgumentException>(() => new SafeTensor("w", SafeTensorDType.F32, [-1], []));
    }

    [Fact]
    public void ToInt64Array_refuses_floating_tensors()
    {
        Assert.Throws<InvalidOperationException>(() => SafeTensor.FromFloats("f", [1], [1f]).ToInt64Array());
    }

    [Fact]
    public void A_scalar_has_one_element()
    {
        var t = SafeTensor.FromDoubles("s", [], [42.0]);
        Assert.Equal(1, t.ElementCount);
        Assert.Empty(t.Shape);
    }
}
