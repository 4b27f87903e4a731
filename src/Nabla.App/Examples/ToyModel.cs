using Nabla.Scalars;
using Nabla.Tensors;

namespace Nabla.Examples;

/// <summary>One named quantity of notebook 004 as the scalar engine and the tensor engine compute it.</summary>
/// <param name="Name">The notebook's name, e.g. <c>f0</c>, <c>dldh3</c>, <c>dldomega2</c>.</param>
/// <param name="Scalar">The value from <see cref="Value"/> (the scalar engine).</param>
/// <param name="Tensor">The value from 0-d <see cref="Tensor{T}"/>s (the tensor engine).</param>
public sealed record ToyModelQuantity(string Name, double Scalar, double Tensor);

/// <summary>Notebook 004's numbers, each from both engines.</summary>
/// <param name="Forward">f0, h1, f1, h2, f2, h3, f3 and the loss l.</param>
/// <param name="Backward">dℓ/df3, dℓ/dh3, dℓ/df2, dℓ/dh2, dℓ/df1, dℓ/dh1, dℓ/df0.</param>
/// <param name="Parameters">dℓ/dβ3, dℓ/dω3, dℓ/dβ2, dℓ/dω2, dℓ/dβ1, dℓ/dω1, dℓ/dβ0, dℓ/dω0.</param>
public sealed record ToyModelResult(IReadOnlyList<ToyModelQuantity> Forward, IReadOnlyList<ToyModelQuantity> Backward,
    IReadOnlyList<ToyModelQuantity> Parameters)
{
    /// <summary>The largest |scalar − tensor| over every quantity.</summary>
    public double MaxEngineDifference =>
        Forward.Concat(Backward).Concat(Parameters).Max(q => Math.Abs(q.Scalar - q.Tensor));
}

/// <summary>
/// Notebook 004: f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))), ℓ = (f − y)², at β = (1, 2, −3, 0.4),
/// ω = (0.1, −0.4, 2, 3), x = 2.3, y = 2: the forward intermediates, the backward derivatives and the eight parameter
/// derivatives, computed once with the scalar engine and once with the tensor engine.
/// </summary>
public static class ToyModel
{
    private static readonly string[] ForwardNames = ["f0", "h1", "f1", "h2", "f2", "h3", "f3", "l"];
    private static readonly string[] BackwardNames = ["dldf3", "dldh3", "dldf2", "dldh2", "dldf1", "dldh1", "dldf0"];
    private static readonly string[] ParameterNames =
        ["dldbeta3", "dldomega3", "dldbeta2", "dldomega2", "dldbeta1", "dldomega1", "dldbeta0", "dldomega0"];

    /// <summary>Runs the model in both engines and pairs up their numbers.</summary>
    public static ToyModelResult Run()
    {
        var (sf, sb, sp) = WithScalars();
        var (tf, tb, tp) = WithTensors();
        static List<ToyModelQuantity> Pair(string[] names, double[] s, double[] t) =>
            names.Select((n, i) => new ToyModelQuantity(n, s[i], t[i])).ToList();
        return new ToyModelResult(Pair(ForwardNames, sf, tf), Pair(BackwardNames, sb, tb), Pair(ParameterNames, sp, tp));
    }

    private static (double[] Forward, double[] Backward, double[] Parameters) WithScalars()
    {
        var beta = Notebook004.Betas.Select(v => new Value(v)).ToArray();
        var omega = Notebook004.Omegas.Select(v => new Value(v)).ToArray();
        Value x = Notebook004.X, y = Notebook004.Y;
        var f0 = beta[0] + omega[0] * x;
        var h1 = Value.Sin(f0);
        var f1 = beta[1] + omega[1] * h1;
        var h2 = Value.Exp(f1);
        var f2 = beta[2] + omega[2] * h2;
        var h3 = Value.Cos(f2);
        var f3 = beta[3] + omega[3] * h3;
        var l = Value.Pow(f3 - y, 2);
        l.Backward();
        return ([f0.Data, h1.Data, f1.Data, h2.Data, f2.Data, h3.Data, f3.Data, l.Data],
            [f3.Grad, h3.Grad, f2.Grad, h2.Grad, f1.Grad, h1.Grad, f0.Grad],
            [beta[3].Grad, omega[3].Grad, beta[2].Grad, omega[2].Grad, beta[1].Grad, omega[1].Grad, beta[0].Grad, omega[0].Grad]);
    }

    private static (double[] Forward, double[] Backward, double[] Parameters) WithTensors()
    {
        var beta = Notebook004.Betas.Select(v => Tensor.Scalar(v).RequireGrad()).ToArray();
        var omega = Notebook004.Omegas.Select(v => Tensor.Scalar(v).RequireGrad()).ToArray();
        var f0 = (beta[0] + omega[0] * Notebook004.X).RetainGrad();
        var h1 = f0.Sin().RetainGrad();
        var f1 = (beta[1] + omega[1] * h1).RetainGrad();
        var h2 = f1.Exp().RetainGrad();
        var f2 = (beta[2] + omega[2] * h2).RetainGrad();
        var h3 = f2.Cos().RetainGrad();
        var f3 = (beta[3] + omega[3] * h3).RetainGrad();
        var l = (f3 - Notebook004.Y).Pow(2.0);
        l.Backward();
        static double G(Tensor<double> t) => t.Grad!.ToScalar();
        return (new[] { f0, h1, f1, h2, f2, h3, f3, l }.Select(t => t.ToScalar()).ToArray(),
            [G(f3), G(h3), G(f2), G(h2), G(f1), G(h1), G(f0)],
            [G(beta[3]), G(omega[3]), G(beta[2]), G(omega[2]), G(beta[1]), G(omega[1]), G(beta[0]), G(omega[0])]);
    }
}
