using System.Text.Json;
using Nabla.Examples;
using Nabla.IO;

namespace Nabla.Cli.Commands;

/// <summary>The JSON reports of <c>nabla example --json</c>: one object, numbers that round-trip, matrices as row arrays.</summary>
public static class ExampleJson
{
    public static string DeepRelu(DeepReluResult r) => Object(w =>
    {
        JsonNumber.Write(w, "output", r.Output);
        JsonNumber.Write(w, "loss", r.Loss);
        Matrices(w, "weightGradients", r.WeightGradients);
        Matrices(w, "biasGradients", r.BiasGradients);
        w.WriteBoolean("finiteDifferencesAgree", r.FiniteDifferencesAgree);
    });

    public static string DenseLayer(DenseLayerResult r) => Object(w =>
    {
        Matrix(w, "dinputs", r.DInputs);
        Matrix(w, "dweights", r.DWeights);
        Matrix(w, "dbiases", r.DBiases);
        w.WriteStartObject("neuron");
        JsonNumber.Write(w, "z", r.Z);
        JsonNumber.Write(w, "y", r.Y);
        Vector(w, "dx", r.NeuronDx);
        Vector(w, "dw", r.NeuronDw);
        JsonNumber.Write(w, "db", r.NeuronDb);
        w.WriteEndObject();
    });

    public static string ToyModel(ToyModelResult r) => Object(w =>
    {
        foreach (var (key, group) in new[] { ("forward", r.Forward), ("backward", r.Backward), ("parameters", r.Parameters) })
        {
            w.WriteStartObject(key);
            foreach (var q in group) JsonNumber.Write(w, q.Name, q.Scalar);
            w.WriteEndObject();
        }
        JsonNumber.Write(w, "maxEngineDifference", r.MaxEngineDifference);
    });

    public static string SigmoidSgd(SigmoidSgdResult r) => Object(w =>
    {
        w.WriteStartArray("errors");
        foreach (var e in r.Errors)
        {
            w.WriteStartObject();
            w.WriteNumber("iteration", e.Iteration);
            JsonNumber.Write(w, "error", e.Error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Matrix(w, "W0", r.W0);
        Matrix(w, "W1", r.W1);
    });

    public static string SinNetwork(SinNetworkResult r) => Object(w =>
    {
        Vector(w, "W", [r.W1, r.W2]);
        Vector(w, "gradient", [r.Gradient1, r.Gradient2]);
        w.WriteNumber("rows", r.Rows);
    });

    private static string Object(Action<Utf8JsonWriter> body) => Json.Write(w =>
    {
        w.WriteStartObject();
        body(w);
        w.WriteEndObject();
    }) + "\n";

    private static void Vector(Utf8JsonWriter w, string name, double[] values)
    {
        w.WritePropertyName(name);
        Row(w, values);
    }

    private static void Row(Utf8JsonWriter w, double[] values)
    {
        w.WriteStartArray();
        foreach (var v in values) JsonNumber.Write(w, v);
        w.WriteEndArray();
    }

    private static void Matrix(Utf8JsonWriter w, string name, Examples.Matrix m)
    {
        w.WritePropertyName(name);
        Rows(w, m);
    }

    private static void Rows(Utf8JsonWriter w, Examples.Matrix m)
    {
        w.WriteStartArray();
        foreach (var row in m.ToRows()) Row(w, row);
        w.WriteEndArray();
    }

    private static void Matrices(Utf8JsonWriter w, string name, IReadOnlyList<Examples.Matrix> list)
    {
        w.WriteStartArray(name);
        foreach (var m in list) Rows(w, m);
        w.WriteEndArray();
    }
}
