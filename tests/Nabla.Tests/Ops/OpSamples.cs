using FsCheck;
using FsCheck.Fluent;
using Nabla.Ops;

namespace Nabla.Tests.Ops;

/// <summary>What the op-table derivative tests share: the ops' names, points drawn from an op's domain, and the
/// mixed absolute/relative comparison against finite differences.</summary>
public static class OpSamples
{
    public static TheoryData<string> UnaryNames() => new(OpTable.Unary.Select(o => o.Name));
    public static TheoryData<string> BinaryNames() => new(OpTable.Binary.Select(o => o.Name));

    /// <summary>Points spread evenly over the domain's sampling range (a million steps), kept inside the domain.</summary>
    public static Gen<double> In(Domain d) =>
        Gen.Choose(0, 1_000_000).Select(i => d.Min + (d.Max - d.Min) * i / 1e6).Where(d.Contains);

    /// <summary>Passes when |analytic − numeric| ≤ abs + rel·|numeric|; <paramref name="how"/> names the finite difference.</summary>
    public static void AssertClose(double analytic, double numeric, double abs, double rel, string what, string how)
    {
        double err = Math.Abs(analytic - numeric);
        Assert.True(err <= abs + rel * Math.Abs(numeric),
            $"{what}: analytic {analytic:R}, numeric {numeric:R}, |diff| {err:R} > {abs} + {rel}·|numeric| ({how})");
    }
}
