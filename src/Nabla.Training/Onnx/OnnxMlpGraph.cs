using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Nabla.Data;

namespace Nabla.Onnx;

/// <summary>Everything an ONNX export needs from a trained MLP, read from a model file.</summary>
/// <param name="DType">float32 or float64: the element type of the graph's inputs, constants and outputs.</param>
/// <param name="Layers">Layer sizes, input first.</param>
/// <param name="Weights">Per Linear layer, its [out, in] weight row-major (PyTorch's layout).</param>
/// <param name="Biases">Per Linear layer, its [out] bias.</param>
/// <param name="Activation">The hidden-layer activation's name.</param>
/// <param name="Loss">The training loss, which decides how outputs are read (mse, bce, ce, hinge).</param>
/// <param name="Classes">Class labels by index (empty for a regression).</param>
/// <param name="Features">Feature column names, in input order.</param>
/// <param name="Target">The target column's name.</param>
/// <param name="Standardizer">The feature standardisation fitted on the training rows.</param>
/// <param name="TargetMean">A regression target's mean (outputs are scaled back with it).</param>
/// <param name="TargetStd">A regression target's standard deviation.</param>
internal sealed record MlpExport(string DType, int[] Layers, IReadOnlyList<double[]> Weights, IReadOnlyList<double[]> Biases,
    string Activation, string Loss, IReadOnlyList<string> Classes, IReadOnlyList<string> Features, string Target,
    Standardizer Standardizer, double TargetMean, double TargetStd);

/// <summary>
/// The ONNX graph of a trained MLP, computing what <see cref="Training.Predictor{T}"/> computes:
/// <c>features</c> (raw columns) → Sub mean → Div std → Gemm (transB = 1) and the activation per layer → for a
/// classifier <c>probabilities</c> (Softmax for ce; for bce and hinge the sigmoid p of the score as [1 − p, p])
/// and <c>label</c> (the class label text of the first most probable column); for a regression <c>prediction</c>
/// = output · target std + target mean.
/// </summary>
internal static class OnnxMlpGraph
{
    /// <summary>IR version 8 goes with opset 17 (ONNX 1.12); every operator used here exists there in float and double.</summary>
    public const long IrVersion = 8;

    public const long OpsetVersion = 17;

    private static readonly Dictionary<string, string?> ActivationOps = new()
    {
        ["relu"] = "Relu", ["tanh"] = "Tanh", ["sigmoid"] = "Sigmoid", ["sin"] = "Sin", ["identity"] = null,
    };

    /// <summary>
    /// The graph of <paramref name="m"/>; <paramref name="body"/>, when given, builds the network between the
    /// standardised input and the outputs (taking the builder and the input's name, returning the output's name)
    /// in place of the MLP's Gemm layers, and <paramref name="architecture"/> describes it.
    /// </summary>
    public static ModelProto Build(MlpExport m, string source, Func<Builder, string, string>? body = null, string? architecture = null)
    {
        string? activationOp = null;
        if (body is null && !ActivationOps.TryGetValue(m.Activation, out activationOp))
            throw new NablaException($"{source}: activation \"{m.Activation}\" has no ONNX export (exportable: {string.Join(", ", ActivationOps.Keys)})");
        var type = m.DType switch
        {
            "float32" => OnnxDataType.Float,
            "float64" => OnnxDataType.Double,
            _ => throw new NablaException($"{source}: dtype \"{m.DType}\" has no ONNX export (float32 or float64)"),
        };
        var graph = new Builder(type);
        string x = graph.Node("Sub", "centred", [Input, graph.Numbers("feature_mean", [m.Layers[0]], [.. m.Standardizer.Means])]);
        x = graph.Node("Div", "standardised", [x, graph.Numbers("feature_std", [m.Layers[0]], [.. m.Standardizer.Stds])]);
        if (body is not null) x = body(graph, x);
        else for (int i = 0; i + 1 < m.Layers.Length; i++)
        {
            // Parameter names are the model file's (and PyTorch's): Linear layers sit at even indices of the Sequential.
            string w = graph.Numbers($"{2 * i}.weight", [m.Layers[i + 1], m.Layers[i]], m.Weights[i]);
            string b = graph.Numbers($"{2 * i}.bias", [m.Layers[i + 1]], m.Biases[i]);
            x = graph.Node("Gemm", $"linear{i}", [x, w, b], new AttributeProto("transB", 1));
            if (i + 2 < m.Layers.Length && activationOp is not null) x = graph.Node(activationOp, $"{m.Activation}{i}", [x]);
        }
        var outputs = new List<ValueInfoProto>();
        if (m.Loss == "mse")
        {
            x = graph.Node("Mul", "scaled", [x, graph.Numbers("target_std", [1], [m.TargetStd])]);
            graph.Node("Add", "prediction", [x, graph.Numbers("target_mean", [1], [m.TargetMean])]);
            outputs.Add(new ValueInfoProto("prediction", type, [Rows, 1], $"the predicted {m.Target}, in its own units"));
        }
        else
        {
            if (m.Loss == "ce") graph.Node("Softmax", "probabilities", [x], new AttributeProto("axis", 1));
            else
            {
                string p1 = graph.Node("Sigmoid", "p1", [x]);
                string p0 = graph.Node("Sub", "p0", [graph.Numbers("one", [1], [1.0]), p1]);
                graph.Node("Concat", "probabilities", [p0, p1], new AttributeProto("axis", 1));
            }
            string index = graph.Node("ArgMax", "class_index", ["probabilities"], new AttributeProto("axis", 1), new AttributeProto("keepdims", 0));
            graph.Initializers.Add(TensorProto.Strings("class_labels", m.Classes));
            graph.Node("Gather", "label", ["class_labels", index], new AttributeProto("axis", 0));
            outputs.Add(new ValueInfoProto("probabilities", type, [Rows, m.Classes.Count],
                $"one column per class of {m.Target}: {string.Join(", ", m.Classes)}"));
            outputs.Add(new ValueInfoProto("label", OnnxDataType.String, [Rows], $"the most probable {m.Target}"));
        }
        return new ModelProto
        {
            IrVersion = IrVersion,
            OpsetImport = [new OperatorSetIdProto("", OpsetVersion)],
            ProducerName = "nabla",
            ProducerVersion = typeof(OnnxMlpGraph).Assembly.GetName().Version?.ToString(3),
            DocString = architecture is null ? $"A Nabla MLP ({string.Join("→", m.Layers)}, {m.Activation}, loss {m.Loss}) predicting {m.Target}."
                : $"A Nabla network ({architecture}, loss {m.Loss}) predicting {m.Target}.",
            Graph = new GraphProto
            {
                Name = architecture is null ? "nabla_mlp" : "nabla_network",
                Node = graph.Nodes,
                Initializer = graph.Initializers,
                Input = [new ValueInfoProto(Input, type, [Rows, m.Layers[0]], $"raw (not standardised) features: {string.Join(", ", m.Features)}")],
                Output = outputs,
            },
            MetadataProps =
            [
                new("nabla.features", JsonList(m.Features)),
                new("nabla.target", m.Target),
                new("nabla.classes", JsonList(m.Classes)),
                new("nabla.loss", m.Loss),
                architecture is null ? new("nabla.activation", m.Activation) : new("nabla.architecture", architecture),
            ],
        };
    }

    private const string Input = "features";
    private const string Rows = "N";

    internal static string JsonList(IReadOnlyList<string> items)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var item in items) json.WriteStringValue(item);
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Collects nodes and constants; node names are their output names, so every name in the file is unique.</summary>
    internal sealed class Builder(OnnxDataType type)
    {
        /// <summary>The element type of the graph's numbers.</summary>
        public OnnxDataType Type => type;

        /// <summary>A constant of 64-bit integers (shapes for Reshape).</summary>
        public string Integers(string name, long[] values)
        {
            Initializers.Add(new TensorProto { Name = name, DataType = OnnxDataType.Int64, Dims = [values.Length], RawData = MemoryMarshal.AsBytes(values.AsSpan()).ToArray() });
            return name;
        }

        public List<NodeProto> Nodes { get; } = [];
        public List<TensorProto> Initializers { get; } = [];

        public string Node(string op, string output, List<string> inputs, params AttributeProto[] attributes)
        {
            Nodes.Add(new NodeProto { OpType = op, Name = output, Input = inputs, Output = [output], Attribute = [.. attributes] });
            return output;
        }

        /// <summary>
        /// A constant in the graph's element type, or in <paramref name="as"/> when given (float32 values are the model's
        /// own floats, so that cast is exact).
        /// </summary>
        public string Numbers(string name, long[] dims, double[] values, OnnxDataType? @as = null)
        {
            var type = @as ?? Type;
            byte[] raw = type == OnnxDataType.Float
                ? MemoryMarshal.AsBytes(values.Select(v => (float)v).ToArray().AsSpan()).ToArray()
                : MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian");
            Initializers.Add(new TensorProto { Name = name, DataType = type, Dims = dims, RawData = raw });
            return name;
        }
    }
}
