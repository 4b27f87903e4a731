namespace Nabla.Scalars;

/// <summary>
/// Forward-mode differentiation of functions written on <see cref="Dual"/> numbers: derivatives that nest without
/// confusing their perturbations, directional derivatives, gradients and Hessians.
/// </summary>
public static class ForwardMode
{
    /// <summary>
    /// df/dx at <paramref name="x"/>, which may itself carry perturbations of enclosing derivatives (so calls nest:
    /// <c>Derivative(x =&gt; x * Derivative(y =&gt; x + y, 2), 1)</c> is 1). The result keeps those outer perturbations.
    /// </summary>
    public static Dual Derivative(Func<Dual, Dual> f, Dual x)
    {
        long tag = Dual.NewTag();
        return f(Dual.Perturbed(tag, x, 1)).TangentOf(tag);
    }

    /// <summary>df/dx at the plain number <paramref name="x"/>.</summary>
    public static double Derivative(Func<Dual, Dual> f, double x) => Derivative(f, new Dual(x)).Real;

    /// <summary>f(x) and the directional derivative J·v = Σᵢ ∂f/∂xᵢ·vᵢ, in one forward pass.</summary>
    public static (double Value, double Tangent) Jvp(Func<Dual[], Dual> f, IReadOnlyList<double> x, IReadOnlyList<double> v)
    {
        if (v.Count != x.Count) throw new NablaException($"the direction has {v.Count} components but the point has {x.Count}");
        long tag = Dual.NewTag();
        var y = f(x.Select((xi, i) => Dual.Perturbed(tag, xi, v[i])).ToArray());
        return (y.PrimalOf(tag).Real, y.TangentOf(tag).Real);
    }

    /// <summary>∇f(x), one forward pass per variable (reverse mode is cheaper for many variables; this is the check).</summary>
    public static double[] Gradient(Func<Dual[], Dual> f, IReadOnlyList<double> x)
    {
        var gradient = new double[x.Count];
        var v = new double[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            v[i] = 1;
            gradient[i] = Jvp(f, x, v).Tangent;
            v[i] = 0;
        }
        return gradient;
    }

    /// <summary>
    /// The Hessian ∂²f/∂xᵢ∂xⱼ by nested forward mode: for each pair i ≤ j, xᵢ and xⱼ carry two different
    /// perturbations and the ε₁ε₂ coefficient of f is read off. n(n+1)/2 passes; symmetric by construction.
    /// </summary>
    public static double[,] Hessian(Func<Dual[], Dual> f, IReadOnlyList<double> x)
    {
        int n = x.Count;
        var hessian = new double[n, n];
        for (int i = 0; i < n; i++)
        for (int j = i; j < n; j++)
        {
            long outer = Dual.NewTag(), inner = Dual.NewTag();
            var point = new Dual[n];
            for (int k = 0; k < n; k++) point[k] = x[k];
            point[i] = Dual.Perturbed(outer, x[i], 1);
            point[j] = Dual.Perturbed(inner, point[j], 1);
            hessian[i, j] = hessian[j, i] = f(point).TangentOf(inner).TangentOf(outer).Real;
        }
        return hessian;
    }
}
