using System.Globalization;
using Nabla.Examples;

namespace Nabla.Tests.Examples;

public class ToyModelExampleTests
{
    private static readonly ToyModelResult Result = ToyModel.Run();

    [Fact]
    public void Scalar_and_tensor_engines_agree_to_1e_12()
    {
        Assert.Equal(23, Result.Forward.Count + Result.Backward.Count + Result.Parameters.Count);
        foreach (var q in Result.Forward.Concat(Result.Backward).Concat(Result.Parameters))
            Assert.True(Math.Abs(q.Scalar - q.Tensor) <= 1e-12, $"{q.Name}: scalar {q.Scalar:R}, tensor {q.Tensor:R}");
        Assert.True(Result.MaxEngineDifference <= 1e-12);
    }

    [Theory]
    [InlineData("f0", "1.230")] [InlineData("h1", "0.942")] [InlineData("f1", "1.623")] [InlineData("h2", "5.068")]
    [InlineData("f2", "7.137")] [InlineData("h3", "0.657")] [InlineData("f3", "2.372")]
    [InlineData("dldf3", "0.745")] [InlineData("dldh3", "2.234")] [InlineData("dldf2", "-1.683")] [InlineData("dldh2", "-3.366")]
    [InlineData("dldf1", "-17.060")] [InlineData("dldh1", "6.824")] [InlineData("dldf0", "2.281")]
    [InlineData("dldbeta3", "0.745")] [InlineData("dldomega3", "0.489")] [InlineData("dldbeta2", "-1.683")]
    [InlineData("dldomega2", "-8.530")] [InlineData("dldbeta1", "-17.060")] [InlineData("dldomega1", "-16.079")]
    [InlineData("dldbeta0", "2.281")]
    public void Each_engine_prints_the_number_the_notebook_prints(string name, string expected)
    {
        var q = Result.Forward.Concat(Result.Backward).Concat(Result.Parameters).Single(q => q.Name == name);
        Assert.Equal(expected, q.Scalar.ToString("F3", CultureInfo.InvariantCulture));
        Assert.Equal(expected, q.Tensor.ToString("F3", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Omega0_derivative_equals_the_notebooks_closed_form()
    {
        double[] b = Notebook004.Betas, w = Notebook004.Omegas;
        double b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], x = Notebook004.X, y = Notebook004.Y;
        double closedForm = -2 * (b3 + w3 * Math.Cos(b2 + w2 * Math.Exp(b1 + w1 * Math.Sin(b0 + w0 * x))) - y)
            * w1 * w2 * w3 * x * Math.Cos(b0 + w0 * x) * Math.Exp(b1 + w1 * Math.Sin(b0 + w0 * x))
            * Math.Sin(b2 + w2 * Math.Exp(b1 + w1 * Math.Sin(b0 + w0 * x)));
        var q = Result.Parameters.Single(q => q.Name == "dldomega0");
        Assert.Equal(closedForm, q.Scalar, 1e-12);
        Assert.Equal(closedForm, q.Tensor, 1e-12);
    }
}
