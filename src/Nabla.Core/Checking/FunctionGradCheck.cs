using System.Globalization;
using Nabla.Functional;
using Nabla.Tensors;

namespace Nabla.Checking;

/// <summary>One Jacobian entry where forward mode (the function's Jvp) and reverse mode (its Backward) disagree.</summary>
/// <param name="OutputIndex">The output element.</param>
/// <param name="Input">Which input.</param>
/// <param name="InputIndex">The input element the tangent was a unit vector at.</param>
/// <param name="Forward">∂output/∂input from Jvp.</param>
/// <param name="Reverse">∂output/∂input from Backward.</param>
public sealed record JvpMismatch(int[] OutputIndex, int Input, int[] InputIndex, double Forward, double Reverse);

/// <summary>
/// The outcome of <see cref="FunctionGradCheck.Check"/>: Backward against central differences (<see cref="Backward"/>),
/// and, when the function has a Jvp, Jvp against Backward entry by entry.
/// </summary>
public sealed class FunctionGradCheckReport
{
    internal FunctionGradCheckReport(TensorGradCheckReport backward, bool jvpChecked, int jvpEntries, IReadOnlyList<JvpMismatch> jvpMismatches)
    {
        Backward = backward; JvpChecked = jvpChecked; JvpEntriesChecked = jvpEntries; JvpMismatches = jvpMismatches;
    }

    /// <summary>The function's name.</summary>
    public string Name => Backward.Name;
    /// <summary>Backward (one pass per output element) against central differences (two evaluations per input element).</summary>
    public TensorGradCheckReport Backward { get; }
    /// <summary>True when the function has a Jvp, so forward mode was compared with reverse mode.</summary>
    public bool JvpChecked { get; }
    /// <summary>How many (output element, input element) pairs Jvp was compared on.</summary>
    public int JvpEntriesChecked { get; }
    /// <summary>Every entry where |Jvp − Backward| &gt; atol + rtol·|Backward|; empty when they agree or Jvp was not checked.</summary>
    public IReadOnlyList<JvpMismatch> JvpMismatches { get; }
    /// <summary>True when Backward matched central differences and Jvp (if any) matched Backward.</summary>
    public bool Passed => Backward.Passed && JvpMismatches.Count == 0;

    /// <summary>
    /// "gradient check passed …", or the first failure written so it can be reproduced: Backward's (see
    /// <see cref="TensorGradCheckReport.Message"/>), else Jvp's, naming the function, the output and input elements and both values.
    /// </summary>
    public string Message
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            var b = Backward;
            if (!b.Passed) return b.Message;
            if (JvpMismatches.Count == 0)
                return b.Message + (JvpChecked ? string.Create(c, $"; Jvp agrees with Backward on {JvpEntriesChecked} entries") : "; no Jvp to check");
            var m = JvpMismatches[0];
            double bound = b.AbsoluteTolerance + b.RelativeTolerance * Math.Abs(m.Reverse);
            return string.Create(c, $"Jvp check failed for {Name}: forward mode (Jvp) and reverse mode (Backward) disagree on output at {Idx(m.OutputIndex)} ")
                + string.Create(c, $"with respect to input {m.Input} at {Idx(m.InputIndex)}: Jvp {m.Forward:R}, Backward {m.Reverse:R}; ")
                + string.Create(c, $"|Jvp - Backward| = {Math.Abs(m.Forward - m.Reverse):R} > atol + rtol·|Backward| = {b.AbsoluteTolerance:R} + {b.RelativeTolerance:R}·{Math.Abs(m.Reverse):R} = {bound:R} (double); ")
                + $"{JvpMismatches.Count} of {JvpEntriesChecked} entries mismatch (Backward itself matches central differences)";
        }
    }

    /// <summary>Throws a <see cref="NablaException"/> carrying <see cref="Message"/> when the check failed.</summary>
    public void ThrowIfFailed()
    {
        if (!Passed) throw new NablaException(Message);
    }

    /// <summary>The same text as <see cref="Message"/>.</summary>
    public override string ToString() => Message;

    private static string Idx(int[] index) => "(" + string.Join(", ", index) + ")";
}

/// <summary>
/// PyTorch's <c>gradcheck</c> for a custom <see cref="Function{T}"/> in double precision: its Backward against central
/// differences of its Forward (through <see cref="TensorGradCheck"/>), then, when it has a Jvp, forward mode against
/// reverse mode on every Jacobian entry, so a wrong Jvp is caught even when Backward is right.
/// </summary>
public static class FunctionGradCheck
{
    /// <summary>
    /// Checks <paramref name="function"/> at <paramref name="inputs"/> (copied; the originals are not touched). Inputs
    /// with <see cref="Tensor{T}.RequiresGrad"/> set are differentiated and the others are constants; when none is set,
    /// every input is differentiated. eps, atol and rtol are PyTorch gradcheck's defaults; the same atol and rtol bound
    /// |Jvp − Backward|. Costs one Backward per output element and two Forwards and one Jvp per input element.
    /// </summary>
    public static FunctionGradCheckReport Check(Function<double> function, IReadOnlyList<Tensor<double>> inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        if (function is null) throw new NablaArgumentException(nameof(function), "FunctionGradCheck.Check: function is null");
        if (inputs is null) throw new NablaArgumentException(nameof(inputs), $"FunctionGradCheck.Check: inputs for {function.Name} is null");
        for (int i = 0; i < inputs.Count; i++)
            if (inputs[i] is null) throw new NablaArgumentException(nameof(inputs), $"FunctionGradCheck.Check: input {i} for {function.Name} is null");
        NablaArgumentException.Check(eps, eps > 0 && double.IsFinite(eps), "FunctionGradCheck.Check", nameof(eps), "finite and > 0");
        NablaArgumentException.Check(atol, atol >= 0, "FunctionGradCheck.Check", nameof(atol), "≥ 0");
        NablaArgumentException.Check(rtol, rtol >= 0, "FunctionGradCheck.Check", nameof(rtol), "≥ 0");
        if (NoGrad.IsActive)
            throw new NablaException($"FunctionGradCheck.Check runs {function.Name}'s Backward, so it cannot run inside a NoGrad scope");

        var backward = TensorGradCheck.Check(xs => function.Apply(xs), inputs, function.Name, eps, atol, rtol);
        if (!function.HasJvp) return new FunctionGradCheckReport(backward, false, 0, []);
        var (entries, mismatches) = CompareJvp(function, inputs, atol, rtol);
        return new FunctionGradCheckReport(backward, true, entries, mismatches);
    }

    /// <summary>Jvp with a unit tangent at each input element (a Jacobian column) against Backward with a unit seed at each output element (a row).</summary>
    private static (int Entries, List<JvpMismatch> Mismatches) CompareJvp(Function<double> function, IReadOnlyList<Tensor<double>> inputs, double atol, double rtol)
    {
        bool any = inputs.Any(x => x.RequiresGrad);
        var leaves = new Tensor<double>[inputs.Count];
        for (int i = 0; i < leaves.Length; i++)
            leaves[i] = Tensor<double>.FromArray(inputs[i].ToArray(), [.. inputs[i].Shape]).RequireGrad(!any || inputs[i].RequiresGrad);
        var y = function.Apply(leaves);
        var mismatches = new List<JvpMismatch>();
        if (!y.RequiresGrad) return (0, mismatches);
        var outShape = y.ShapeArray;
        int outputs = y.ElementCount;

        // reverse[j][i] = ∂y_j/∂input_i, flat, one Backward per output element.
        var reverse = new double[outputs][][];
        var seed = new double[outputs];
        for (int j = 0; j < outputs; j++)
        {
            foreach (var leaf in leaves) leaf.Grad = null;
            seed[j] = 1;
            y.Backward(Tensor<double>.FromArray((double[])seed.Clone(), outShape), retainGraph: true);
            seed[j] = 0;
            reverse[j] = [.. leaves.Select(l => l.Grad?.ToArray() ?? new double[l.ElementCount])];
        }

        int entries = 0;
        using (NoGrad.Scope())
        {
            for (int i = 0; i < leaves.Length; i++)
            {
                if (!leaves[i].RequiresGrad) continue;
                var inShape = leaves[i].ShapeArray;
                var direction = new double[leaves[i].ElementCount];
                for (int e = 0; e < direction.Length; e++)
                {
                    direction[e] = 1;
                    var tangent = Tangents.Propagate(y, leaves[i], Tensor<double>.FromArray((double[])direction.Clone(), inShape));
                    direction[e] = 0;
                    var column = tangent?.ToArray() ?? new double[outputs];
                    for (int j = 0; j < outputs; j++)
                    {
                        double f = column[j], r = reverse[j][i][e];
                        entries++;
                        if (!(Math.Abs(f - r) <= atol + rtol * Math.Abs(r)))
                            mismatches.Add(new JvpMismatch(TensorGradCheck.Unravel(j, outShape), i, TensorGradCheck.Unravel(e, inShape), f, r));
                    }
                }
            }
        }
        return (entries, mismatches);
    }
}
