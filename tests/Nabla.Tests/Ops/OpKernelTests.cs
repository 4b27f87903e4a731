using Nabla.Ops;

namespace Nabla.Tests.Ops;

/// <summary>
/// Every op's span kernel (TensorPrimitives or hand-vectorised) against its scalar definition, over lengths
/// around the vector widths (Vector256 holds 8 floats or 4 doubles) and special values, in float and double.
/// Pass: both NaN, or equal, or |span − scalar| ≤ tol·max(1, |scalar|) with tol = 4e-14 (double), 4e-6 (float):
/// vectorised transcendental functions may differ from the scalar ones in the last bits.
/// </summary>
public class OpKernelTests
{
    private static readonly int[] Lengths = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 25, 33, 64, 65];
    private static readonly double[] Specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0];

    public static TheoryData<string> UnaryNames() => new(OpTable.Unary.Select(o => o.Name));
    public static TheoryData<string> BinaryNames() => new(OpTable.Binary.Select(o => o.Name));

    // Values from the op's sampling domain, with the special values at the start, the middle and the end.
    private static double[] Inputs(Domain domain, int length, int seed)
    {
        var random = new System.Random(seed);
        var x = new double[length];
        for (int i = 0; i < length; i++) x[i] = domain.Min + (domain.Max - domain.Min) * random.NextDouble();
        for (int k = 0; k < Specials.Length && length > 0; k++)
        {
            int at = (k * 7 + seed) % length;
            if (length > 8 || k < 2) x[at] = Specials[k];
        }
        return x;
    }

    private static void Close(double expected, double actual, double tol, string what)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual)) return;
        if (expected.Equals(actual)) return;
        Assert.True(Math.Abs(expected - actual) <= tol * Math.Max(1, Math.Abs(expected)),
            $"{what}: span kernel {actual:R}, scalar {expected:R}");
    }

    [Theory, MemberData(nameof(UnaryNames))]
    public void Unary_span_kernels_match_the_scalar_definition(string name)
    {
        var op = OpTable.FindUnary(name)!;
        foreach (int n in Lengths)
        {
            double[] x = Inputs(op.Domain, n, n + 1);
            var y = new double[n];
            op.Apply(x, y);
            for (int i = 0; i < n; i++) Close(op.Apply(x[i]), y[i], 4e-14, $"{name} double, length {n}, x[{i}] = {x[i]:R}");

            float[] xf = Array.ConvertAll(x, v => (float)v);
            var yf = new float[n];
            op.Apply(xf, yf);
            for (int i = 0; i < n; i++) Close(op.Apply(xf[i]), yf[i], 4e-6, $"{name} float, length {n}, x[{i}] = {xf[i]:R}");
        }
    }

    [Theory, MemberData(nameof(UnaryNames))]
    public void Unary_span_backward_adds_the_scalar_derivative_times_the_upstream_gradient(string name)
    {
        var op = OpTable.FindUnary(name)!;
        foreach (int n in Lengths)
        {
            double[] x = Inputs(op.Domain, n, 100 + n);
            var y = Array.ConvertAll(x, op.Apply);
            var random = new System.Random(n);
            double[] dy = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            double[] dx0 = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
            var dx = (double[])dx0.Clone();
            op.Backward(x, y, dy, dx);
            for (int i = 0; i < n; i++)
                Close(dx0[i] + op.Derivative(x[i], y[i]) * dy[i], dx[i], 4e-14, $"{name}' double, length {n}, x[{i}] = {x[i]:R}");

            float[] xf = Array.ConvertAll(x, v => (float)v), yf = Array.ConvertAll(xf, op.Apply);
            float[] dyf = Array.ConvertAll(dy, v => (float)v), dxf = Array.ConvertAll(dx0, v => (float)v);
            var dxf0 = (float[])dxf.Clone();
            op.Backward(xf, yf, dyf, dxf);
            for (int i = 0; i < n; i++)
            {
                float expected = dxf0[i] + DerivativeOf(op.OpType, xf[i], yf[i]) * dyf[i];
                Close(expected, dxf[i], 4e-6, $"{name}' float, length {n}, x[{i}] = {xf[i]:R}");
            }
        }
    }

    // The scalar derivative evaluated in single precision, as the float kernel computes it.
    private static float DerivativeOf(Type opType, float x, float y)
    {
        var method = opType.GetMethod("Derivative")!.MakeGenericMethod(typeof(float));
        return (float)method.Invoke(null, [x, y])!;
    }

    [Theory, MemberData(nameof(BinaryNames))]
    public void Binary_span_kernels_match_the_scalar_definition(string name)
    {
        var op = OpTable.FindBinary(name)!;
        foreach (int n in Lengths)
        {
            double[] a = Inputs(op.DomainA, n, 200 + n), b = Inputs(op.DomainB, n, 300 + n);
            var y = new double[n];
            op.Apply(a, b, y);
            for (int i = 0; i < n; i++) Close(op.Apply(a[i], b[i]), y[i], 4e-14, $"{name} double, length {n}, ({a[i]:R}, {b[i]:R})");

            float[] af = Array.ConvertAll(a, v => (float)v), bf = Array.ConvertAll(b, v => (float)v);
            var yf = new float[n];
            op.Apply(af, bf, yf);
            for (int i = 0; i < n; i++) Close(op.Apply(af[i], bf[i]), yf[i], 4e-6, $"{name} float, length {n}, ({af[i]:R}, {bf[i]:R})");
        }
    }
}
