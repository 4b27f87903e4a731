using System.Globalization;
using Nabla.Tensors;

namespace Nabla.Checking;

/// <summary>One Jacobian entry where the analytic and numerical derivatives disagree.</summary>
public sealed record TensorGradMismatch(int Output, int[] OutputIndex, int Input, int[] InputIndex, double Analytical, double Numerical);

/// <summary>The outcome of <see cref="TensorGradCheck.Check"/>: how many Jacobian entries were compared, the worst error and every mismatch.</summary>
public sealed class TensorGradCheckReport
{
    internal TensorGradCheckReport(string name, double eps, double atol, double rtol, int entries, double maxError, IReadOnlyList<TensorGradMismatch> mismatches)
    {
        Name = name; Eps = eps; AbsoluteTolerance = atol; RelativeTolerance = rtol;
        EntriesChecked = entries; MaxAbsError = maxError; Mismatches = mismatches;
    }

    /// <summary>The name of the checked function, used in <see cref="Message"/>.</summary>
    public string Name { get; }
    /// <summary>The central-difference step eps.</summary>
    public double Eps { get; }
    /// <summary>atol in |analytical − numerical| ≤ atol + rtol·|numerical|.</summary>
    public double AbsoluteTolerance { get; }
    /// <summary>rtol in |analytical − numerical| ≤ atol + rtol·|numerical|.</summary>
    public double RelativeTolerance { get; }
    /// <summary>How many (output element, input element) pairs were compared.</summary>
    public int EntriesChecked { get; }
    /// <summary>The largest |analytical − numerical| over all entries.</summary>
    public double MaxAbsError { get; }
    /// <summary>Every Jacobian entry that failed the tolerance test; empty when the check passed.</summary>
    public IReadOnlyList<TensorGradMismatch> Mismatches { get; }
    /// <summary>True when no entry mismatched.</summary>
    public bool Passed => Mismatches.Count == 0;

    /// <summary>
    /// "gradient check passed …", or the first mismatch written so it can be reproduced: op, output and input
    /// element, both values round-trip, the tolerance test and eps.
    /// </summary>
    public string Message
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            if (Passed) return string.Create(c, $"gradient check passed for {Name}: {EntriesChecked} Jacobian entries, max |analytical - numerical| = {MaxAbsError:R} (eps = {Eps:R}, double)");
            var m = Mismatches[0];
            double bound = AbsoluteTolerance + RelativeTolerance * Math.Abs(m.Numerical);
            return string.Create(c, $"gradient check failed for {Name}: mismatch for output {m.Output} at {Idx(m.OutputIndex)} with respect to input {m.Input} at {Idx(m.InputIndex)}: ")
                + string.Create(c, $"analytical {m.Analytical:R}, numerical {m.Numerical:R}; |a - n| = {Math.Abs(m.Analytical - m.Numerical):R} > ")
                + string.Create(c, $"atol + rtol·|n| = {AbsoluteTolerance:R} + {RelativeTolerance:R}·{Math.Abs(m.Numerical):R} = {bound:R}; eps = {Eps:R} (central differences, double); ")
                + $"{Mismatches.Count} of {EntriesChecked} entries mismatch";
        }
    }

    private static string Idx(int[] index) => "(" + string.Join(", ", index) + ")";

    /// <summary>Throws a <see cref="NablaException"/> carrying <see cref="Message"/> when the check failed.</summary>
    public void ThrowIfFailed()
    {
        if (!Passed) throw new NablaException(Message);
    }

    /// <summary>The same text as <see cref="Message"/>.</summary>
    public override string ToString() => Message;
}

/// <summary>
/// Compares the analytic Jacobian of a tensor function (reverse mode, one backward per output element) with
/// central differences (f(x + eps) − f(x − eps)) / 2eps per input element, as <c>torch.autograd.gradcheck</c> does.
/// An entry passes when |analytical − numerical| ≤ atol + rtol·|numerical|.
/// </summary>
public static class TensorGradCheck
{
    /// <summary>
    /// Checks <paramref name="f"/> at <paramref name="inputs"/> (copied; the originals are not touched). Inputs with
    /// <see cref="Tensor{T}.RequiresGrad"/> set are differentiated; the others are passed as constants. When none is
    /// set, every input is differentiated.
    /// </summary>
    public static TensorGradCheckReport Check(Func<Tensor<double>[], Tensor<double>> f, IReadOnlyList<Tensor<double>> inputs,
        string name = "f", double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        bool any = inputs.Any(x => x.RequiresGrad);
        var wrt = inputs.Select(x => !any || x.RequiresGrad).ToArray();
        var leaves = inputs.Select((x, i) => new Tensor<double>(x.ToArray(), [.. x.Shape]) { RequiresGrad = wrt[i] }).ToArray();

        Tensor<double> y0;
        using (NoGrad.Scope()) y0 = f(leaves);
        int outputs = y0.ElementCount;
        var outShape = y0.Shape.ToArray();

        // analytical[j][i] = ∂y_j/∂x_i as a flat array, from one backward pass per output element.
        var analytical = new double[outputs][][];
        for (int j = 0; j < outputs; j++)
        {
            foreach (var leaf in leaves) leaf.Grad = null;
            var y = f(leaves);
            if (y.RequiresGrad)
            {
                var seed = Tensor<double>.Zeros(outShape);
                seed.AsSpan()[j] = 1;
                y.Backward(seed);
            }
            analytical[j] = leaves.Select(l => l.Grad?.ToArray() ?? new double[l.ElementCount]).ToArray();
        }

        var mismatches = new List<TensorGradMismatch>();
        int entries = 0;
        double maxError = 0;
        using (NoGrad.Scope())
        {
            for (int i = 0; i < leaves.Length; i++)
            {
                if (!wrt[i]) continue;
                var leaf = leaves[i];
                for (int e = 0; e < leaf.ElementCount; e++)
                {
                    double saved = leaf.AsSpan()[e];
                    var numerical = CentralDifference.OfEach(v => { leaf.AsSpan()[e] = v; return f(leaves).ToArray(); }, saved, eps);
                    leaf.AsSpan()[e] = saved;
                    for (int j = 0; j < outputs; j++)
                    {
                        double n = numerical[j], a = analytical[j][i][e];
                        double err = Math.Abs(a - n);
                        entries++;
                        if (!(err <= maxError)) maxError = err;
                        if (!(err <= atol + rtol * Math.Abs(n)))
                            mismatches.Add(new TensorGradMismatch(j, Unravel(j, outShape), i, Unravel(e, [.. leaves[i].Shape]), a, n));
                    }
                }
            }
        }
        return new TensorGradCheckReport(name, eps, atol, rtol, entries, maxError, mismatches);
    }

    internal static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { index[d] = flat % shape[d]; flat /= shape[d]; }
        return index;
    }
}
