using System.CommandLine;
using System.Numerics;
using Nabla.Rng;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla generate --model m.safetensors [--prompt "…"] [--tokens 200] [--temperature 0.8] [--top-k 40] [--seed 0]</c>:
/// writes the prompt, then samples characters from a text model (<c>nabla train --text</c>) one at a time and writes
/// each as it is made (flushed per character). The draw is <see cref="Sampling"/>'s: the same seed gives the same text.
/// </summary>
public static class GenerateCommand
{
    /// <summary>The <c>generate</c> command, writing the text to <paramref name="stdout"/> and errors to <paramref name="stderr"/>.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "A text model written by 'nabla train --text … --save'.", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The text to continue (default: empty, which starts from the vocabulary's first character).", DefaultValueFactory = _ => "" };
        var tokens = new Option<int>("--tokens") { Description = "How many characters to generate (default 200).", DefaultValueFactory = _ => 200 };
        var temperature = new Option<double>("--temperature") { Description = "Divides the logits: below 1 is more conservative, 0 is greedy (default 0.8).", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int?>("--top-k") { Description = "Sample only among the k most likely characters (default: all)." };
        var seed = new Option<uint>("--seed") { Description = "Seed of the NumPy-exact generator behind the draws (default 0)." };
        var command = new Command("generate", "Continue a prompt with a character-level language model, streaming the text as it is sampled.")
        {
            model, prompt, tokens, temperature, topK, seed,
        };
        command.SetAction(parse => CliAction.Guard(stderr, () => Run(parse.GetValue(model)!, parse.GetValue(prompt) ?? "", parse.GetValue(tokens),
            parse.GetValue(temperature), parse.GetValue(topK), parse.GetValue(seed), stdout)));
        return command;
    }

    /// <summary>Generates from the model at <paramref name="modelPath"/>; returns the exit code.</summary>
    public static int Run(string modelPath, string prompt, int tokens, double temperature, int? topK, uint seed, TextWriter stdout)
    {
        if (tokens < 0 || tokens > 1_000_000) throw new CliException($"--tokens: expected a whole number from 0 to 1000000, not {tokens}");
        if (!(temperature >= 0 && double.IsFinite(temperature))) throw new CliException($"--temperature: expected a number ≥ 0, not {temperature}");
        if (topK is < 1) throw new CliException($"--top-k: expected a whole number ≥ 1, not {topK}");
        if (!File.Exists(modelPath)) throw new CliException($"--model: there is no file {modelPath}");
        return TextModelFile.DTypeOf(modelPath) == "float32"
            ? Generate(TextModel<float>.Load(modelPath), prompt, tokens, temperature, topK, seed, stdout)
            : Generate(TextModel<double>.Load(modelPath), prompt, tokens, temperature, topK, seed, stdout);
    }

    private static int Generate<T>(TextModel<T> model, string prompt, int tokens, double temperature, int? topK, uint seed, TextWriter stdout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPrompt(model, prompt);
        stdout.Write(prompt);
        stdout.Flush();
        Sampling.Generate(model, prompt, tokens, temperature, topK, new RandomState(seed), character =>
        {
            stdout.Write(character);
            stdout.Flush();
        });
        stdout.WriteLine();
        return 0;
    }

    // Refuses, before anything is written, a prompt character the model never saw: named, with its position.
    private static void CheckPrompt<T>(TextModel<T> model, string prompt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int position = 0;
        foreach (var rune in prompt.EnumerateRunes())
        {
            try { model.Vocabulary.IdOf(rune); }
            catch (NablaException)
            {
                throw new CliException($"--prompt: character {position}, {TextTrain.Describe(rune.ToString())}, is not in the model's vocabulary of {model.Vocabulary.Size} characters");
            }
            position++;
        }
    }
}
