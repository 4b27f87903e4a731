using System.Globalization;
using System.Text.Json;
using Nabla.Functional;
using Nabla.Scalars;
using Nabla.Tensors;
using Nabla.Tests.Cli;

namespace Nabla.Tests.Reliability;

/// <summary>
/// Second derivatives stay exact when an intermediate value is huge (log's argument past 1e154), a Hessian is never
/// silently 0 with respect to an intermediate node, and enum arguments out of range are refused.
/// </summary>
public class SecondDerivativeReliabilityTests
{
    /// <summary>d²/dx² log(c·x) = −1/x² whatever c is.</summary>
    [Theory]
    [InlineData(0.402, 1e200)]
    [InlineData(0.402, 1e300)]
    [InlineData(3.5, 1e160)]
    [InlineData(0.402, 1.0)]
    public void Value_Hessian_of_log_of_a_huge_argument_is_minus_one_over_x_squared(double x0, double scale)
    {
        var x = new Value(x0, "x");
        var y = Value.Log(x * scale);
        double h = y.Hessian([x])[0, 0];
        double expected = -1 / (x0 * x0);
        Assert.True(Math.Abs(h - expected) <= 1e-12 * Math.Abs(expected), $"log({scale:R}·x) at x = {x0:R}: Hessian {h:R}, exact {expected:R}");
    }

    [Fact]
    public void Nested_forward_mode_Hessian_of_log_of_a_huge_argument_is_exact()
    {
        double h = ForwardMode.Hessian(v => Dual.Apply<Nabla.Ops.Log>(v[0] * Dual.Constant(1e200)), [0.402])[0, 0];
        Assert.Equal(-1 / (0.402 * 0.402), h, 12);
    }

    [Fact]
    public void Hessian_vector_product_of_a_two_variable_log_is_exact()
    {
        // f = log(x·y·1e250): ∂²f/∂x² = −1/x², ∂²f/∂x∂y = 0, ∂²f/∂y² = −1/y².
        var x = new Value(0.5, "x");
        var y = new Value(2.0, "y");
        var f = Value.Log(x * y * 1e250);
        var hv = f.Hvp([x, y], [1.0, 1.0]);
        Assert.Equal(-4.0, hv[0], 12);
        Assert.Equal(-0.25, hv[1], 12);
    }

    [Fact]
    public void Tensor_Hessian_of_log_of_a_huge_argument_is_exact()
    {
        var x = Tensor<double>.FromArray([0.402, 2.0], [2]);
        var h = TensorFunctional.Hessian(t => (t * 1e200).Log().Sum(), x).ToArray();
        Assert.Equal(-1 / (0.402 * 0.402), h[0], 12);
        Assert.Equal(0.0, h[1]);
        Assert.Equal(0.0, h[2]);
        Assert.Equal(-0.25, h[3], 12);
    }

    [Fact]
    public void The_grad_command_prints_the_exact_second_derivative_of_log_of_a_huge_argument()
    {
        var (exit, output, error) = CliRunner.Run("grad", "log(x*1e200)", "--at", "x=0.402", "--hessian", "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        double h = json.RootElement.GetProperty("hessian").GetProperty("x").GetProperty("x").GetDouble();
        Assert.True(Math.Abs(h - -1 / (0.402 * 0.402)) < 1e-12, h.ToString("R", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Hessian_with_respect_to_an_intermediate_node_is_refused_naming_it()
    {
        var x = new Value(2.0, "x");
        var u = x * x;
        var f = u * u;
        var e = Assert.Throws<NablaArgumentException>(() => f.Hessian([x, u]));
        Assert.Equal("wrt", e.Parameter);
        Assert.Contains("wrt[1]", e.Message);
        Assert.Contains("'*'", e.Message);
        Assert.Throws<NablaArgumentException>(() => f.Hvp([u], [1.0]));
        // With respect to the leaf alone it is what calculus says: f = x⁴, f'' = 12x² = 48.
        Assert.Equal(48.0, f.Hessian([x])[0, 0], 12);
    }

    [Fact]
    public void A_JacobianMode_out_of_range_is_refused_naming_the_parameter()
    {
        var x = Tensor<double>.FromArray([1.0, 2.0], [2]);
        var e = Assert.Throws<NablaArgumentException>(() => TensorFunctional.Jacobian(t => t * 2.0, x, (JacobianMode)99));
        Assert.Equal("mode", e.Parameter);
        Assert.Contains("99", e.Message);
        Assert.Contains("Reverse", e.Message);
    }
}
