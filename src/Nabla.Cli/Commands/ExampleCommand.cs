using System.CommandLine;
using Nabla.Examples;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla example &lt;name&gt; [--json] [--data file.csv]</c>: reruns one of the founding notebooks and prints its numbers,
/// arrays as NumPy prints them (precision 3) so the text can be diffed against the notebook, or one JSON object with
/// round-trip numbers. Exit 0 on success, 2 for an unknown name or bad input (e.g. sin-network without --data).
/// </summary>
public static class ExampleCommand
{
    /// <summary>The examples, by name, with the notebook each reproduces.</summary>
    public static readonly IReadOnlyList<(string Name, string Notebook)> Names =
    [
        ("sin-network", "000: two sin weights, mean chain-rule gradients over a CSV (needs --data)"),
        ("deep-relu", "001: deep ReLU network, backward pass and finite-difference check"),
        ("dense-layer", "002: one ReLU neuron, then a dense layer's backward pass over a batch"),
        ("sigmoid-sgd", "003: 3-4-1 sigmoid network, 60 000 gradient-descent steps"),
        ("toy-model", "004: toy model, scalar engine and tensor engine side by side"),
    ];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var name = new Argument<string>("name") { Description = "Which example: " + string.Join(", ", Names.Select(n => n.Name)) + "." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with round-trip numbers." };
        var data = new Option<string>("--data") { Description = "sin-network: a CSV file with columns x and y." };
        var command = new Command("example", "Rerun a founding notebook and print the numbers it prints.") { name, json, data };
        command.SetAction(parse => CliAction.Guard(stderr, () =>
            Run(parse.GetValue(name)!, parse.GetValue(json), parse.GetValue(data), stdout)));
        return command;
    }

    /// <summary>Runs the example called <paramref name="name"/> and writes its report to <paramref name="stdout"/>.</summary>
    /// <exception cref="CliException">Unknown name, or --data missing for (or given to an example other than) sin-network.</exception>
    public static int Run(string name, bool json, string? dataPath, TextWriter stdout)
    {
        if (!Names.Any(n => n.Name == name))
            throw new CliException($"unknown example '{name}'; the examples are:\n"
                + string.Join("\n", Names.Select(n => $"  {n.Name,-12} notebook {n.Notebook}")));
        if (name != "sin-network" && dataPath is not null)
            throw new CliException($"--data is only read by sin-network, not by {name}");

        switch (name)
        {
            case "deep-relu":
                var deep = DeepRelu.Run();
                stdout.Write(json ? ExampleJson.DeepRelu(deep) : ExampleText.DeepRelu(deep));
                break;
            case "dense-layer":
                var dense = DenseLayer.Run();
                stdout.Write(json ? ExampleJson.DenseLayer(dense) : ExampleText.DenseLayer(dense));
                break;
            case "toy-model":
                var toy = ToyModel.Run();
                stdout.Write(json ? ExampleJson.ToyModel(toy) : ExampleText.ToyModel(toy));
                break;
            case "sigmoid-sgd":
                var sgd = SigmoidSgd.Run();
                stdout.Write(json ? ExampleJson.SigmoidSgd(sgd) : ExampleText.SigmoidSgd(sgd));
                break;
            default:
                if (dataPath is null)
                    throw new CliException("sin-network needs the data: --data file.csv with columns x and y "
                        + "(the notebook's backprop.csv is not included; samples/data/sin.csv is a small one)");
                var sin = SinNetwork.Run(dataPath);
                stdout.Write(json ? ExampleJson.SinNetwork(sin) : ExampleText.SinNetwork(sin));
                break;
        }
        return 0;
    }
}
