using Nabla.Examples;
using Nabla.Ops;

namespace Nabla.Explain.Networks;

/// <summary>One dense layer in column form: z = W·a + b, then a′ = f(z).</summary>
/// <param name="Weight">W, outputs × inputs.</param>
/// <param name="Bias">b, outputs × 1, or null for a layer without bias (notebook 003).</param>
/// <param name="Activation">f: an op table name (<c>relu</c>, <c>sigmoid</c>, <c>tanh</c>, <c>sin</c> …) or <c>identity</c>.</param>
public sealed record DenseLayerSpec(Matrix Weight, Matrix? Bias, string Activation)
{
    /// <summary>The op behind <see cref="Activation"/>, or null for identity.</summary>
    public UnaryOpInfo? Op => Activation == "identity" ? null
        : OpTable.FindUnary(Activation) ?? throw new NablaException($"unknown activation \"{Activation}\" (use identity or an op such as relu, sigmoid, tanh)");
}

/// <summary>
/// A stack of dense layers and a loss, as the notebooks draw it with column vectors: the input a₀, then for each
/// layer k = 1 … K: z_k = W_k·a_{k−1} + b_k, a_k = f_k(z_k); the loss L(a_K, y).
/// </summary>
/// <param name="Layers">The layers, input side first.</param>
/// <param name="Loss">The loss on the last activation.</param>
public sealed record DenseNetwork(IReadOnlyList<DenseLayerSpec> Layers, NetworkLoss Loss)
{
    /// <summary>Checks that consecutive shapes fit and that every activation is known.</summary>
    public void Validate(int inputs, int targets)
    {
        if (Layers.Count == 0) throw new NablaException("a network needs at least one layer");
        int width = inputs;
        for (int k = 0; k < Layers.Count; k++)
        {
            var layer = Layers[k];
            _ = layer.Op;
            if (layer.Weight.Columns != width)
                throw new NablaException($"layer {k + 1}: W is {layer.Weight.Rows}×{layer.Weight.Columns} but its input has {width} rows");
            if (layer.Bias is { } b && (b.Rows != layer.Weight.Rows || b.Columns != 1))
                throw new NablaException($"layer {k + 1}: b is {b.Rows}×{b.Columns}, expected {layer.Weight.Rows}×1");
            width = layer.Weight.Rows;
        }
        if (targets != width) throw new NablaException($"the target has {targets} entries but the network has {width} outputs");
    }

    /// <summary>L at the input and target, with the given layers (the finite-difference check perturbs them).</summary>
    public double LossAt(double[] input, double[] target)
    {
        var a = input;
        foreach (var layer in Layers) a = Activate(layer, Affine(layer, a));
        return Loss.Value(a, target);
    }

    internal static double[] Affine(DenseLayerSpec layer, double[] a)
    {
        var W = layer.Weight;
        var z = new double[W.Rows];
        for (int i = 0; i < W.Rows; i++)
        {
            double sum = 0;
            for (int j = 0; j < W.Columns; j++) sum += W[i, j] * a[j];
            z[i] = layer.Bias is { } b ? b.Values[i] + sum : sum;
        }
        return z;
    }

    internal static double[] Activate(DenseLayerSpec layer, double[] z) =>
        layer.Op is { } op ? z.Select(op.Apply).ToArray() : (double[])z.Clone();

    // f′(z), from the op table's derivative (given z and a = f(z)); 1 for identity.
    internal static double[] Slope(DenseLayerSpec layer, double[] z, double[] a) =>
        layer.Op is { } op ? z.Select((v, i) => op.Derivative(v, a[i])).ToArray() : z.Select(_ => 1.0).ToArray();
}
