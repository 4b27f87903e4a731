using System.Globalization;
using System.Numerics;
using Nabla.Data;
using Nabla.Training;
using Nabla.IO;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla evaluate</c> on a text model: the mean cross-entropy (nats per character) and perplexity e^loss of the
/// model's next-character predictions over the whole --data text, cut into non-overlapping windows of the model's
/// context (<see cref="TextTrainer{T}.Evaluate"/>); <c>--json</c> prints <c>loss</c>, <c>perplexity</c> and
/// <c>characters</c> (the number of predictions scored).
/// </summary>
internal static class TextEvaluate
{
    public static int Run(string modelPath, string dataPath, bool json, TextWriter stdout) =>
        TextModelFile.DTypeOf(modelPath) == "float32"
            ? Run(TextModel<float>.Load(modelPath), dataPath, json, stdout)
            : Run(TextModel<double>.Load(modelPath), dataPath, json, stdout);

    private static int Run<T>(TextModel<T> model, string dataPath, bool json, TextWriter stdout) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var text = CharCorpus.Load(dataPath);
        if (text.Length < 2) throw new CliException($"--data: {dataPath} has {text.Length} character; scoring needs at least 2");
        // The file's own ids (its vocabulary) mapped once to the model's.
        var toModel = new int[text.Vocabulary.Size];
        for (int id = 0; id < toModel.Length; id++)
        {
            string c = text.Vocabulary[id];
            try { toModel[id] = model.Vocabulary.IdOf(System.Text.Rune.GetRuneAt(c, 0)); }
            catch (NablaException)
            {
                throw new CliException($"--data: {dataPath} holds the character {TextTrain.Describe(c)} (first at character {text.Ids.IndexOf(id)}), which is not in the model's vocabulary");
            }
        }
        var ids = new int[text.Length];
        for (int i = 0; i < ids.Length; i++) ids[i] = toModel[text.Ids[i]];
        double loss = TextTrainer<T>.Evaluate(model, ids, 256);
        // A finite model can still overflow on some text: say so rather than print NaN or ∞ with exit 0.
        if (!double.IsFinite(loss))
            throw new CliException($"--data: the model computes a loss of {loss.ToString(CultureInfo.InvariantCulture)} on {dataPath}: its logits overflow on this text, so there is no loss to report");
        if (json)
            stdout.WriteLine(Json.Write(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("loss"); JsonNumber.Write(w, loss);
                w.WritePropertyName("perplexity"); JsonNumber.Write(w, Math.Exp(loss));
                w.WriteNumber("characters", ids.Length - 1);
                w.WriteEndObject();
            }));
        else
            stdout.WriteLine($"{Path.GetFileName(dataPath)}: {ids.Length - 1:N0} next-character predictions in windows of {model.Context}: " +
                $"loss {loss.ToString("F4", CultureInfo.InvariantCulture)}, perplexity {Math.Exp(loss).ToString("F2", CultureInfo.InvariantCulture)}");
        return 0;
    }
}
