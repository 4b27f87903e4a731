using System.Numerics;
using Nabla.Nn;
using Nabla.Tensors;

namespace Nabla.Onnx;

/// <summary>
/// The ONNX operators of a network built from an <see cref="Architecture"/> description, in inference mode: Reshape
/// (the images' Unflatten), Conv, MaxPool, AveragePool, Flatten, BatchNormalization (with the running statistics),
/// LayerNormalization, Gemm and the activations; Dropout is the identity at inference and is left out. Parameter
/// names are the model file's (and PyTorch's state-dict names). In a float64 graph, Conv and AveragePool compute in
/// float32 between Cast nodes (ONNX Runtime has no float64 kernel for them), so their outputs agree with the model's to
/// about float32 precision; every other layer computes in float64.
/// </summary>
internal static class OnnxNetworkGraph
{
    /// <summary>Adds <paramref name="network"/>'s layers after <paramref name="input"/>; returns the last output's name.</summary>
    public static string Add<T>(OnnxMlpGraph.Builder graph, string input, Sequential<T> network, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string x = input;
        foreach (var (name, layer) in network.Children())
            x = Layer(graph, x, name, layer, source);
        return x;
    }

    /// <summary>The ONNX nodes of one layer; returns its output's name. Text graphs use it for the layers they share.</summary>
    internal static string Layer<T>(OnnxMlpGraph.Builder graph, string x, string name, Module<T> layer, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // ONNX Runtime's CPU provider runs Conv and AveragePool in float32 only, so a float64 graph computes those two
        // in float32 between Cast nodes (their parameters stored as float32); every other op stays in the model's type.
        bool inFloat = graph.Type == OnnxDataType.Double && layer is Conv2d<T> or AvgPool2d<T>;
        string Param(string suffix, Tensor<T> t) =>
            graph.Numbers($"{name}.{suffix}", [.. t.Shape.Select(d => (long)d)], Array.ConvertAll(t.ToArray(), double.CreateChecked),
                inFloat ? OnnxDataType.Float : null);
        if (inFloat)
        {
            string single = graph.Node("Cast", $"layer{name}_input_float32", [x], new AttributeProto("to", (long)OnnxDataType.Float));
            string computed = Layer(graph, single, name, layer, source, Param);
            return graph.Node("Cast", $"layer{name}_float64", [computed], new AttributeProto("to", (long)OnnxDataType.Double));
        }
        return Layer(graph, x, name, layer, source, Param);
    }

    private static string Layer<T>(OnnxMlpGraph.Builder graph, string x, string name, Module<T> layer, string source, Func<string, Tensor<T>, string> param)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long[] Pair(int v) => [v, v];
        switch (layer)
        {
            case Unflatten<T> u:
                return graph.Node("Reshape", $"layer{name}_reshape", [x, graph.Integers($"layer{name}_shape", [-1, .. u.Shape.Select(d => (long)d)])]);
            case Conv2d<T> c:
                List<string> convInputs = [x, param("weight", c.Weight)];
                if (c.Bias is { } cb) convInputs.Add(param("bias", cb));
                return graph.Node("Conv", $"layer{name}_conv", convInputs,
                    new AttributeProto("kernel_shape", Pair(c.KernelSize)), new AttributeProto("strides", Pair(c.Stride)),
                    new AttributeProto("pads", [c.Padding, c.Padding, c.Padding, c.Padding]), new AttributeProto("dilations", Pair(c.Dilation)),
                    new AttributeProto("group", c.Groups));
            case MaxPool2d<T> p:
                return graph.Node("MaxPool", $"layer{name}_maxpool", [x], new AttributeProto("kernel_shape", Pair(p.KernelSize)),
                    new AttributeProto("strides", Pair(p.Stride)), new AttributeProto("pads", [p.Padding, p.Padding, p.Padding, p.Padding]));
            case AvgPool2d<T> p:
                return graph.Node("AveragePool", $"layer{name}_avgpool", [x], new AttributeProto("kernel_shape", Pair(p.KernelSize)),
                    new AttributeProto("strides", Pair(p.Stride)), new AttributeProto("pads", [p.Padding, p.Padding, p.Padding, p.Padding]),
                    new AttributeProto("count_include_pad", p.CountIncludePad ? 1 : 0));
            case Flatten<T> f when f.StartDim == 1 && f.EndDim == -1:
                return graph.Node("Flatten", $"layer{name}_flatten", [x], new AttributeProto("axis", 1));
            case BatchNorm<T> b when b.RunningMean is { } mean && b.RunningVar is { } variance:
                int channels = b.NumFeatures;
                string scale = b.Weight is { } bw ? param("weight", bw) : graph.Numbers($"{name}.weight", [channels], Enumerable.Repeat(1.0, channels).ToArray());
                string shift = b.Bias is { } bb ? param("bias", bb) : graph.Numbers($"{name}.bias", [channels], new double[channels]);
                return graph.Node("BatchNormalization", $"layer{name}_batchnorm", [x, scale, shift, param("running_mean", mean), param("running_var", variance)],
                    new AttributeProto("epsilon", (float)b.Eps));
            case LayerNorm<T> n when n.Weight is { } nw:
                List<string> normInputs = [x, param("weight", nw)];
                if (n.Bias is { } nb) normInputs.Add(param("bias", nb));
                return graph.Node("LayerNormalization", $"layer{name}_layernorm", normInputs,
                    new AttributeProto("axis", -n.NormalizedShape.Count), new AttributeProto("epsilon", (float)n.Eps));
            case Linear<T> l:
                List<string> gemmInputs = [x, param("weight", l.Weight)];
                if (l.Bias is { } lb) gemmInputs.Add(param("bias", lb));
                return graph.Node("Gemm", $"layer{name}_linear", gemmInputs, new AttributeProto("transB", 1));
            case ReLU<T>: return graph.Node("Relu", $"layer{name}_relu", [x]);
            case Sigmoid<T>: return graph.Node("Sigmoid", $"layer{name}_sigmoid", [x]);
            case Tanh<T>: return graph.Node("Tanh", $"layer{name}_tanh", [x]);
            case Sin<T>: return graph.Node("Sin", $"layer{name}_sin", [x]);
            case Softmax<T> s: return graph.Node("Softmax", $"layer{name}_softmax", [x], new AttributeProto("axis", s.Axis));
            case Identity<T> or Dropout<T>: return x;   // dropout passes its input through at inference
            default:
                throw new NablaException($"{source}: layer {name} ({layer}) has no ONNX export (exportable: conv, maxpool, avgpool, flatten, batchnorm, layernorm, linear, dropout and the activations)");
        }
    }
}
