using System.Numerics;
using Nabla.Nn;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Onnx;

/// <summary>
/// The ONNX graph of a character-level language model (<see cref="TextModel{T}"/>, <c>nabla train --text</c>): input
/// <c>ids</c> [B, T] int64 token ids (B and T dynamic, T at most the model's context), output <c>logits</c> [B, T, V] in
/// the model's precision, what <see cref="TextModel{T}.Forward"/> gives in evaluation mode. Embeddings are Gather,
/// Linears MatMul with the transposed weight (a tied head transposes the embedding's table, stored once), LayerNorm is
/// LayerNormalization (opset 17), a GPT block is written out op by op (<see cref="OnnxGptBlock"/>) and the recurrent
/// layers are ONNX's LSTM, GRU and RNN (<see cref="OnnxRecurrent"/>). Dropout is the identity at inference and is left
/// out. A float64 graph computes in float64 except where ONNX Runtime's CPU provider has no float64 kernel: Erf (inside
/// GELU) and the LSTM, GRU and RNN operators run in float32 between Cast nodes, so a float64 model with a GPT block or
/// a recurrent layer agrees with Nabla to about float32 precision.
/// </summary>
internal static class OnnxTextGraph
{
    private const string Batch = "B", Length = "T";

    public static ModelProto Build<T>(TextModel<T> model, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var type = typeof(T) == typeof(float) ? OnnxDataType.Float : OnnxDataType.Double;
        var graph = new OnnxMlpGraph.Builder(type);
        var text = new TextGraph(graph, "ids", model.Context);
        string x = "ids";
        string? table = null;
        foreach (var (name, layer) in model.Network.Children())
            x = Layer(text, x, name, layer, source, ref table);
        graph.Node("Identity", "logits", [x]);
        int vocabulary = model.Vocabulary.Size;
        var characters = Enumerable.Range(0, vocabulary).Select(id => model.Vocabulary[id]).ToList();
        return new ModelProto
        {
            IrVersion = OnnxMlpGraph.IrVersion,
            OpsetImport = [new OperatorSetIdProto("", OnnxMlpGraph.OpsetVersion)],
            ProducerName = "nabla",
            ProducerVersion = typeof(OnnxTextGraph).Assembly.GetName().Version?.ToString(3),
            DocString = $"A Nabla character-level language model ({model.Architecture}), context {model.Context}, {vocabulary} characters.",
            Graph = new GraphProto
            {
                Name = "nabla_text_model",
                Node = graph.Nodes,
                Initializer = graph.Initializers,
                Input = [new ValueInfoProto("ids", OnnxDataType.Int64, [Batch, Length],
                    $"token ids in [0, {vocabulary}): position in the vocabulary (metadata nabla.vocabulary); T at most {model.Context}")],
                Output = [new ValueInfoProto("logits", type, [Batch, Length, vocabulary], "row t scores the character after position t")],
            },
            MetadataProps =
            [
                new("nabla.kind", TextModelFile.Kind),
                new("nabla.architecture", model.Architecture),
                new("nabla.vocabulary", OnnxMlpGraph.JsonList(characters)),
                new("nabla.context", model.Context.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
        };
    }

    private static string Layer<T>(TextGraph g, string x, string name, Module<T> layer, string source, ref string? table)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var graph = g.Graph;
        switch (layer)
        {
            case Embedding<T> e:
                table = g.Param($"{name}.weight", e.Weight);
                return graph.Node("Gather", $"layer{name}_embedding", [table, x], new AttributeProto("axis", 0));
            case PositionalEmbedding<T> p:
                // Rows 0 … T − 1 of the table, T read from the ids' shape at run time.
                string rows = graph.Node("Slice", $"layer{name}_rows", [g.Param($"{name}.weight", p.Weight), g.Zero, g.Length, g.Zero]);
                return graph.Node("Add", $"layer{name}_posembed", [x, rows]);
            case GptBlock<T> b:
                return OnnxGptBlock.Add(g, x, name, b);
            case RecurrentModule<T> r:
                return OnnxRecurrent.Add(g, x, name, r, source);
            case TiedLinear<T> t:
                // The embedding's table, stored once, transposed here (ONNX Runtime folds the constant when it loads).
                string tied = graph.Node("Transpose", $"layer{name}_tied_weight", [table!], new AttributeProto("perm", [1L, 0L]));
                string product = graph.Node("MatMul", $"layer{name}_matmul", [x, tied]);
                return t.Bias is { } tb ? graph.Node("Add", $"layer{name}_linear", [product, g.Param($"{name}.bias", tb)]) : product;
            case Linear<T> l:
                return g.Linear(x, name, l);
            default:
                // LayerNorm over the last axis, the activations and dropout are written as in any network.
                return OnnxNetworkGraph.Layer(graph, x, name, layer, source);
        }
    }
}

/// <summary>The graph under construction with what every text layer shares: parameters by name, T at run time, Linear.</summary>
internal sealed class TextGraph
{
    private string? _length, _zero;

    public TextGraph(OnnxMlpGraph.Builder graph, string ids, int context) => (Graph, Ids, Context) = (graph, ids, context);

    public OnnxMlpGraph.Builder Graph { get; }

    /// <summary>The model's context: the longest T, and the causal mask's size.</summary>
    public int Context { get; }

    /// <summary>The graph's input, [B, T] ids.</summary>
    public string Ids { get; }

    /// <summary>True in a float64 graph, where the ops without a float64 kernel in ONNX Runtime compute in float32.</summary>
    public bool IsDouble => Graph.Type == OnnxDataType.Double;

    /// <summary>[T] as a one-element int64 tensor, read from the ids' shape (made once).</summary>
    public string Length => _length ??= Graph.Node("Slice", "sequence_length",
        [Graph.Node("Shape", "ids_shape", [Ids]), Graph.Integers("one", [1]), Graph.Integers("two", [2]), Zero]);

    /// <summary>[0] as a one-element int64 tensor.</summary>
    public string Zero => _zero ??= Graph.Integers("zero", [0]);

    /// <summary>A parameter as a constant named by its state-dict name, in the graph's type or in <paramref name="as"/>.</summary>
    public string Param<T>(string name, Tensor<T> t, OnnxDataType? @as = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        Graph.Numbers(name, [.. t.Shape.Select(d => (long)d)], Array.ConvertAll(t.ToArray(), double.CreateChecked), @as);

    /// <summary>x·Wᵀ + b over the last axis of x: MatMul with the weight transposed by a node (so the file holds PyTorch's [out, in]).</summary>
    public string Linear<T>(string x, string name, Linear<T> l) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string wt = Graph.Node("Transpose", $"{name}.weight_t", [Param($"{name}.weight", l.Weight)], new AttributeProto("perm", [1L, 0L]));
        string product = Graph.Node("MatMul", $"{name}_matmul", [x, wt]);
        return l.Bias is { } b ? Graph.Node("Add", $"{name}_out", [product, Param($"{name}.bias", b)]) : product;
    }

    /// <summary>A one-element constant in the graph's type.</summary>
    public string Scalar(string name, double value) => Graph.Numbers(name, [], [value]);
}
