using System.Globalization;
using System.Text.Json;
using Nabla.Tests.Training;

namespace Nabla.Tests.Functional;

/// <summary>
/// The PyTorch side of the Hessian tests (scalar and tensor engines): <c>torch.autograd.functional.hessian</c> of
/// notebook 004's toy model and of a small MLP's loss, computed by a script at test time. Skips the calling test when
/// Python with torch is missing.
/// </summary>
internal static class TorchHessians
{
    /// <summary>The toy model's parameters in the order the Hessians use.</summary>
    public static readonly string[] ToyParameters = ["beta0", "omega0", "beta1", "omega1", "beta2", "omega2", "beta3", "omega3"];

    /// <summary>The MLP's four rows of two inputs, their targets, and its 13 parameters (W1 3×2, b1, W2 1×3, b2).</summary>
    public static readonly double[][] MlpInputs = [[0.5, -1.0], [1.5, 0.25], [-0.75, 0.8], [0.1, 0.3]];
    public static readonly double[] MlpTargets = [0.2, -0.4, 1.0, 0.5];
    public static double[] MlpParameters => Enumerable.Range(0, 13).Select(i => Math.Round(Math.Sin(i * 1.7 + 0.3) * 0.8, 6)).ToArray();

    public static void Require()
    {
        if (!Python.Has("torch")) Assert.Skip("python3 with torch is not installed (apt-get install python3-torch), so the Hessians were not compared with PyTorch.");
    }

    /// <summary>∂²ℓ/∂p² of notebook 004's ℓ = (f3 − y)² over <see cref="ToyParameters"/>, at the notebook's values.</summary>
    public static double[][] ToyModel()
    {
        var at = Nabla.Examples.Notebook004.At;
        return Run($$"""
            import json, torch
            from torch.autograd.functional import hessian
            x, y = {{Py(at["x"])}}, {{Py(at["y"])}}
            def l(p):
                b0, w0, b1, w1, b2, w2, b3, w3 = p
                f3 = b3 + w3 * torch.cos(b2 + w2 * torch.exp(b1 + w1 * torch.sin(b0 + w0 * x)))
                return (f3 - y) ** 2
            p = torch.tensor([{{string.Join(", ", ToyParameters.Select(n => Py(at[n])))}}], dtype=torch.float64)
            print(json.dumps(hessian(l, p).tolist()))
            """);
    }

    /// <summary>The Hessian of the 2-3-1 tanh MLP's mean squared error over its 13 parameters.</summary>
    public static double[][] Mlp() => Run($$"""
        import json, torch
        from torch.autograd.functional import hessian
        X = torch.tensor({{JsonSerializer.Serialize(MlpInputs)}}, dtype=torch.float64)
        Y = torch.tensor({{JsonSerializer.Serialize(MlpTargets)}}, dtype=torch.float64)
        def loss(p):
            W1 = p[0:6].reshape(3, 2); b1 = p[6:9]; W2 = p[9:12].reshape(1, 3); b2 = p[12:13]
            out = (torch.tanh(X @ W1.T + b1) @ W2.T + b2).reshape(-1)
            return ((out - Y) ** 2).mean()
        p = torch.tensor({{JsonSerializer.Serialize(MlpParameters)}}, dtype=torch.float64)
        print(json.dumps(hessian(loss, p).tolist()))
        """);

    private static double[][] Run(string script)
    {
        using var doc = JsonDocument.Parse(Python.Run("-c", script));
        return doc.RootElement.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
    }

    private static string Py(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
