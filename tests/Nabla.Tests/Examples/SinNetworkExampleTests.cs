using System.Text.Json;
using Nabla.Examples;
using Nabla.Tests.Cli;
using Nabla.Tests.IO;

namespace Nabla.Tests.Examples;

public class SinNetworkExampleTests
{
    private static readonly double[] X = [-2.0, -0.5, 0.3, 1.1, 2.7];
    private static readonly double[] Y = [0.1, -0.4, 0.25, 0.6, -0.2];

    private static string WriteCsv(TempDirectory dir, string text)
    {
        string path = dir.File("data.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Csv() =>
        "id,x,y\n" + string.Join("\n", X.Select((x, i) => FormattableString.Invariant($"{i},{x},{Y[i]}"))) + "\n";

    [Fact]
    public void Initial_weights_are_numpys_randn_after_seed_310()
    {
        // /usr/bin/python3: np.random.seed(310); W = [np.random.randn(1, 1), np.random.randn(1, 1)]
        Assert.Equal((0.5353451968548101, 1.0115632484315744), SinNetwork.InitialWeights());
    }

    [Fact]
    public void Gradients_are_the_means_of_the_notebooks_chain_rule_products()
    {
        using var dir = new TempDirectory();
        var result = SinNetwork.Run(WriteCsv(dir, Csv()));
        double w1 = 0.5353451968548101, w2 = 1.0115632484315744, g1 = 0, g2 = 0;
        for (int i = 0; i < X.Length; i++)
        {
            double a1 = X[i] * w1, a2 = Math.Sin(a1) * w2, prediction = Math.Sin(a2);
            double dldy = 2 * (prediction - Y[i]), dyda2 = Math.Cos(a2);
            g2 += dldy * dyda2 * Math.Sin(a1);                      // dL/dy · dy/da2 · da2/dw2
            g1 += dldy * dyda2 * w2 * Math.Cos(a1) * X[i];          // dL/dy · dy/da2 · da2/dh1 · dh1/da1 · da1/dw1
        }
        Assert.Equal(5, result.Rows);
        Assert.Equal(g1 / X.Length, result.Gradient1, 1e-12);
        Assert.Equal(g2 / X.Length, result.Gradient2, 1e-12);
    }

    [Fact]
    public void Gradients_agree_with_central_differences_of_the_mean_squared_error()
    {
        var result = SinNetwork.Run(X, Y);
        double Mse(double w1, double w2) =>
            X.Select((x, i) => Math.Pow(Math.Sin(Math.Sin(x * w1) * w2) - Y[i], 2)).Average();
        const double h = 1e-6;
        double d1 = (Mse(result.W1 + h, result.W2) - Mse(result.W1 - h, result.W2)) / (2 * h);
        double d2 = (Mse(result.W1, result.W2 + h) - Mse(result.W1, result.W2 - h)) / (2 * h);
        Assert.Equal(d1, result.Gradient1, 1e-8);
        Assert.Equal(d2, result.Gradient2, 1e-8);
    }

    [Fact]
    public void A_missing_y_column_is_an_error_naming_the_columns()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<NablaException>(() => SinNetwork.Run(WriteCsv(dir, "x,z\n1,2\n")));
        Assert.Contains("no column named \"y\"", e.Message);
        Assert.Contains("\"x\", \"z\"", e.Message);
    }

    [Fact]
    public void A_bad_cell_is_an_error_naming_its_line_and_column()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<NablaException>(() => SinNetwork.Run(WriteCsv(dir, "x,y\n1,2\n3,abc\n")));
        Assert.Contains(":3:", e.Message);
        Assert.Contains("\"abc\"", e.Message);
    }

    [Fact]
    public void The_command_needs_data_and_says_so_with_exit_2()
    {
        var (exit, stdout, stderr) = CliRunner.Run("example", "sin-network");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--data", stderr);
        Assert.Contains("backprop.csv is not included", stderr);
    }

    [Fact]
    public void The_command_prints_the_weights_and_gradient_as_json()
    {
        using var dir = new TempDirectory();
        var (exit, stdout, stderr) = CliRunner.Run("example", "sin-network", "--data", WriteCsv(dir, Csv()), "--json");
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        var expected = SinNetwork.Run(X, Y);
        using var doc = JsonDocument.Parse(stdout);
        var w = doc.RootElement.GetProperty("W").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var g = doc.RootElement.GetProperty("gradient").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(new[] { 0.5353451968548101, 1.0115632484315744 }, w);
        Assert.Equal(new[] { expected.Gradient1, expected.Gradient2 }, g);
    }

    [Fact]
    public void The_command_reports_a_bad_file_with_exit_2()
    {
        var (exit, _, stderr) = CliRunner.Run("example", "sin-network", "--data", "/nonexistent/sin.csv");
        Assert.Equal(2, exit);
        Assert.Contains("file not found", stderr);
    }
}
