using System.Text;
using Nabla.Examples;

namespace Nabla.Explain.Networks;

/// <summary>
/// A network explanation as plain text (<see cref="Text"/>) or GitHub Markdown (<see cref="Markdown"/>): the forward
/// steps with shapes, the loss, the backward steps in matrix form, every matrix printed as NumPy prints it at 3
/// decimals (so the numbers read like the notebooks' output cells), then the finite-difference check.
/// </summary>
public static class NetworkTextRenderer
{
    /// <summary>Plain text for a terminal.</summary>
    public static string Text(NetworkExplanation e) => Render(e, markdown: false);

    /// <summary>GitHub Markdown: headings, and each matrix in a code block.</summary>
    public static string Markdown(NetworkExplanation e) => Render(e, markdown: true);

    private static string Render(NetworkExplanation e, bool markdown)
    {
        var s = new StringBuilder();
        void Heading(string text, string note)
        {
            if (markdown) s.AppendLine().AppendLine($"### {text}").AppendLine().AppendLine(note).AppendLine();
            else s.AppendLine().AppendLine($"{text}  ({note})");
        }
        void Line(string text) => s.AppendLine(markdown ? text + "  " : text);
        void Show(string label, Matrix m)
        {
            if (markdown) s.AppendLine($"{label} ({Shape(m)}):").AppendLine().AppendLine("```text").AppendLine(m.Format(3)).AppendLine("```").AppendLine();
            else
            {
                s.AppendLine($"  {label} ({Shape(m)}) =");
                foreach (var line in m.Format(3).Split('\n')) s.AppendLine("    " + line);
            }
        }

        int K = e.Forward.Count;
        s.AppendLine(markdown ? $"## Explaining {e.Title}" : $"Explaining {e.Title}");
        Line($"{K} layer{(K == 1 ? "" : "s")}, loss {e.Network.Loss.Text}");
        Show("a0 (the input)", e.Input);
        Show("y (the target)", e.Target);

        Heading("Forward pass", "z_k = W_k·a_{k−1} + b_k, a_k = f(z_k)");
        foreach (var f in e.Forward)
        {
            int k = f.Layer;
            Line($"Layer {k}: z{k} ({Shape(f.Z)}) = W{k} ({Shape(f.Weight)}) · a{k - 1} ({Shape(f.Input)})" +
                 (f.Bias is { } b ? $" + b{k} ({Shape(b)})" : "") + $"; a{k} = {f.Activation}(z{k})");
            Show($"W{k}", f.Weight);
            if (f.Bias is { } bias) Show($"b{k}", bias);
            Show($"z{k}", f.Z);
            Show($"a{k}", f.A);
        }

        Heading("Loss", e.Network.Loss.Text);
        Line($"L = {NumberText.Display(e.Loss)} ({NumberText.RoundTrip(e.Loss)})");
        Show($"∂L/∂a{K} = {e.Network.Loss.GradientText}", e.LossGradient);

        Heading("Backward pass", "δ_k = f′(z_k) ⊙ ∂L/∂a_k, ∂L/∂W_k = δ_k·a_{k−1}ᵀ, ∂L/∂b_k = δ_k, ∂L/∂a_{k−1} = W_kᵀ·δ_k");
        foreach (var b in e.Backward)
        {
            int k = b.Layer;
            Line($"Layer {k}: δ{k} = {e.Forward[k - 1].Activation}′(z{k}) ⊙ ∂L/∂a{k}");
            Show($"f′(z{k})", b.Slope);
            Show($"δ{k}", b.Delta);
            Show($"∂L/∂W{k} = δ{k}·a{k - 1}ᵀ", b.WeightGradient);
            if (b.BiasGradient is { } db) Show($"∂L/∂b{k} = δ{k}", db);
            Show($"∂L/∂a{k - 1} = W{k}ᵀ·δ{k}", b.InputGradient);
        }

        Heading("Finite-difference check", $"sampled weights and biases, central differences, h = {NumberText.RoundTrip(NetworkExplanation.Step)}, |a − n| ≤ 1e-5 + 1e-3·|n|");
        if (markdown) s.AppendLine("| parameter | backward | numeric | check |").AppendLine("| --- | ---: | ---: | --- |");
        foreach (var c in e.Checks)
            s.AppendLine(markdown
                ? $"| {c.Parameter} | {NumberText.RoundTrip(c.Analytic)} | {NumberText.RoundTrip(c.Numeric)} | {(c.Passed ? "pass" : "**FAIL**")} |"
                : $"  {c.Parameter,-10} backward {NumberText.RoundTrip(c.Analytic),-24} numeric {NumberText.RoundTrip(c.Numeric),-24} {(c.Passed ? "pass" : "FAIL")}");
        s.AppendLine().AppendLine(Summary(e));
        return s.ToString();
    }

    /// <summary>"all 23 sampled parameters passed" or "2 of 23 sampled parameters FAILED".</summary>
    public static string Summary(NetworkExplanation e) => e.Passed
        ? $"all {e.Checks.Count} sampled parameters passed the finite-difference check"
        : $"{e.Checks.Count(c => !c.Passed)} of {e.Checks.Count} sampled parameters FAILED the finite-difference check";

    /// <summary><c>6×1</c>.</summary>
    public static string Shape(Matrix m) => $"{m.Rows}×{m.Columns}";
}
