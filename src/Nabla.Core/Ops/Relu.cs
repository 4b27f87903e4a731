using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Ops;

/// <summary>y = max(x, 0); dy/dx = 1 for x &gt; 0 and 0 otherwise, so the derivative at exactly 0 is 0 (the notebooks' convention). NaN in, NaN out.</summary>
public readonly struct Relu : IUnaryOp<Relu>
{
    public static string Name => "relu";
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => x > T.Zero ? x : (T.IsNaN(x) ? x : T.Zero);
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => x > T.Zero ? T.One : T.Zero;
    public static string DerivativeText(string x, string y) => $"({x} > 0 ? 1 : 0)";
    public static Domain Domain => new Domain(-3, 3, KinkAt: 0, KinkMargin: 1e-3);

}
