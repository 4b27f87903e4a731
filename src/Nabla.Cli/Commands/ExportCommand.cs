using System.CommandLine;
using Nabla.Onnx;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla export model.safetensors --onnx model.onnx</c>: writes a trained model as an ONNX graph that takes the
/// raw feature columns and gives what <c>nabla predict</c> gives, or for a text model takes token ids [B, T] and gives
/// the logits [B, T, V] (see <see cref="OnnxExport"/>).
/// </summary>
public static class ExportCommand
{
    /// <summary>The <c>export</c> command, printing to the given streams.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Argument<string>("model") { Description = "A model written by 'nabla train --save'." };
        var onnx = new Option<string>("--onnx") { Description = "Write the model as ONNX here.", Required = true };
        var command = new Command("export", "Export a trained model to ONNX, for ONNX Runtime, ML.NET and other ONNX readers.") { model, onnx };
        command.SetAction(parse => CliAction.Guard(stderr, () => Run(parse.GetValue(model)!, parse.GetValue(onnx)!, stderr)));
        return command;
    }

    /// <summary>Exports <paramref name="modelPath"/> to <paramref name="onnxPath"/> and says so on <paramref name="stderr"/>.</summary>
    public static int Run(string modelPath, string onnxPath, TextWriter stderr)
    {
        if (!File.Exists(modelPath)) throw new CliException($"there is no model file {modelPath}");
        if (Path.GetFullPath(onnxPath) == Path.GetFullPath(modelPath))
            throw new CliException($"--onnx {onnxPath} is the model file itself; choose another name so the model is not overwritten");
        if (Directory.Exists(onnxPath)) throw new CliException($"--onnx {onnxPath} is a directory; give a file name such as model.onnx");
        OutputPaths.Prepare("--onnx", onnxPath);
        OutputPaths.Write("--onnx", onnxPath, () => OnnxExport.Save(modelPath, onnxPath));
        stderr.WriteLine($"wrote {onnxPath}");
        return 0;
    }
}
