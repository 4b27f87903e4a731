using Nabla.Ops;

namespace Nabla.Tests.Nn;

public class ReluKernelTests
{
    public static TheoryData<int> Lengths() => [0, 1, 3, 4, 7, 8, 9, 17, 33];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Vectorised_forward_and_backward_match_the_scalar_rule_in_float_and_double(int n)
    {
        Check<float>(n);
        Check<double>(n);
    }

    private static void Check<T>(int n) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] special = [T.Zero, -T.Zero, T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.Epsilon, -T.Epsilon];
        var random = new Random(n);
        var x = new T[n];
        var dy = new T[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = i < special.Length && i % 2 == 0 ? special[i] : T.CreateTruncating(random.NextDouble() * 4 - 2);
            dy[i] = T.CreateTruncating(random.NextDouble() * 2 - 1);
        }
        var y = new T[n];
        Relu.Apply<T>(x, y);
        var dx = Enumerable.Repeat(T.One, n).ToArray();
        Relu.Backward<T>(x, y, dy, dx);
        for (int i = 0; i < n; i++)
        {
            T expectedY = Relu.Apply(x[i]);
            Assert.True(expectedY.Equals(y[i]) || (T.IsNaN(expectedY) && T.IsNaN(y[i])), $"forward at {i}: x = {x[i]}, {y[i]} vs {expectedY}");
            Assert.Equal(T.One + Relu.Derivative(x[i], y[i]) * dy[i], dx[i]);
        }
    }
}
