using System.Text;
using System.Text.Json;
using Nabla.Training;

namespace Nabla.Reports.Text;

/// <summary>
/// A character-level language model's training run as <c>nabla train --text … --record run.json</c> writes it and
/// <see cref="TextReport"/> shows it: the settings as the run printed them, every epoch's losses and perplexities, and a
/// sample the trained model generated.
/// </summary>
/// <param name="Command">The command line that ran it.</param>
/// <param name="Settings">Setting name → value, in the order shown (architecture, parameters, optimizer, …).</param>
/// <param name="Epochs">The epochs' losses (nats per character), in order.</param>
/// <param name="Sample">Text the trained model generated.</param>
/// <param name="SampleSettings">How the sample was drawn (prompt, tokens, temperature, seed), as a line of text.</param>
public sealed record TextRun(string Command, IReadOnlyList<KeyValuePair<string, string>> Settings, IReadOnlyList<TextEpoch> Epochs,
    string Sample, string SampleSettings)
{
    /// <summary>
    /// The run as JSON: <c>kind</c> "text-run", <c>command</c>, <c>settings</c> (an object of strings), <c>epochs</c>
    /// (each <c>epoch</c>, <c>loss</c>, <c>perplexity</c> and, with held-out text, <c>validationLoss</c> and
    /// <c>validationPerplexity</c>) and <c>sample</c> (<c>text</c>, <c>settings</c>).
    /// </summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("kind", "text-run");
            w.WriteString("command", Command);
            w.WriteStartObject("settings");
            foreach (var (key, value) in Settings) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteStartArray("epochs");
            foreach (var e in Epochs)
            {
                w.WriteStartObject();
                w.WriteNumber("epoch", e.Epoch);
                Number(w, "loss", e.Loss);
                Number(w, "perplexity", e.Perplexity);
                if (e.ValidationLoss is { } v)
                {
                    Number(w, "validationLoss", v);
                    Number(w, "validationPerplexity", e.ValidationPerplexity!.Value);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("sample");
            w.WriteString("text", Sample);
            w.WriteString("settings", SampleSettings);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // JSON has no NaN or infinity: a diverged value is written as null.
    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
