namespace Nabla.Scalars;

/// <summary>
/// A multilayer perceptron on scalar nodes, shaped like micrograd's: every neuron computes
/// b + Σ wᵢ·xᵢ (added in that order), hidden layers apply ReLU and the last layer is linear.
/// Small and slow by design: every multiply is a node you can inspect.
/// </summary>
public sealed class ScalarMlp
{
    private readonly Value[][][] _weights; // [layer][neuron][input]
    private readonly Value[][] _biases;    // [layer][neuron]

    /// <param name="inputs">Number of inputs.</param>
    /// <param name="layerSizes">Neurons per layer, the last being the outputs.</param>
    /// <param name="init">Gives each parameter's starting value, in <see cref="Parameters"/> order.</param>
    public ScalarMlp(int inputs, IReadOnlyList<int> layerSizes, Func<int, double> init)
    {
        if (inputs <= 0 || layerSizes.Count == 0 || layerSizes.Any(s => s <= 0))
            throw new NablaException("an MLP needs a positive number of inputs and at least one layer of positive size");
        _weights = new Value[layerSizes.Count][][];
        _biases = new Value[layerSizes.Count][];
        int index = 0, fanIn = inputs;
        for (int l = 0; l < layerSizes.Count; l++)
        {
            _weights[l] = new Value[layerSizes[l]][];
            _biases[l] = new Value[layerSizes[l]];
            for (int n = 0; n < layerSizes[l]; n++)
            {
                _weights[l][n] = new Value[fanIn];
                for (int i = 0; i < fanIn; i++) _weights[l][n][i] = new Value(init(index++), $"w{l}.{n}.{i}");
                _biases[l][n] = new Value(init(index++), $"b{l}.{n}");
            }
            fanIn = layerSizes[l];
        }
        Inputs = inputs;
    }

    /// <summary>How many inputs the network takes.</summary>
    public int Inputs { get; }

    /// <summary>Per layer, per neuron: its weights, then its bias (micrograd's order).</summary>
    public IEnumerable<Value> Parameters()
    {
        for (int l = 0; l < _weights.Length; l++)
        for (int n = 0; n < _weights[l].Length; n++)
        {
            foreach (var w in _weights[l][n]) yield return w;
            yield return _biases[l][n];
        }
    }

    /// <summary>The outputs for one input row.</summary>
    public Value[] Forward(IReadOnlyList<Value> x)
    {
        if (x.Count != Inputs) throw new NablaException($"the MLP takes {Inputs} inputs, not {x.Count}");
        IReadOnlyList<Value> h = x;
        for (int l = 0; l < _weights.Length; l++)
        {
            bool hidden = l < _weights.Length - 1;
            var next = new Value[_weights[l].Length];
            for (int n = 0; n < next.Length; n++)
            {
                Value act = _biases[l][n];
                var w = _weights[l][n];
                for (int i = 0; i < w.Length; i++) act = act + w[i] * h[i];
                next[n] = hidden ? Value.Relu(act) : act;
            }
            h = next;
        }
        return (Value[])h;
    }

    /// <summary>Sets every parameter's gradient to 0.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Grad = 0;
    }
}
