using Nabla.Cli.Commands;
using Nabla.Nn;
using Nabla.Tensors;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Tests.Training;

/// <summary>
/// Models cross between PyTorch and Nabla through safetensors files, both ways: a network built and
/// saved from PyTorch loads into Nabla's MLP and computes the same outputs, and a model trained by
/// Nabla loads into a PyTorch nn.Sequential with load_state_dict(strict=True) and computes the same
/// outputs. The Python side writes and reads the format itself (the safetensors package is not
/// installed here), so the files are exactly what the format specifies.
/// </summary>
public sealed class TorchInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-torch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Script = Python.SafetensorsFunctions + """
        def mlp(sizes):
            layers = []
            for i in range(len(sizes) - 1):
                layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]).double())
                if i < len(sizes) - 2:
                    layers.append(torch.nn.Tanh())
            return torch.nn.Sequential(*layers)

        x = torch.tensor(json.loads(sys.argv[3]), dtype=torch.float64)
        if sys.argv[1] == "export":
            torch.manual_seed(7)
            net = mlp([3, 5, 4, 2])
            save(sys.argv[2], net.state_dict())
        else:
            net = mlp(json.loads(sys.argv[4]))
            net.load_state_dict(load(sys.argv[2]), strict=True)
        with torch.no_grad():
            print(json.dumps(net(x).ravel().tolist()))
        """;

    private bool TorchAvailable()
    {
        if (Python.Has("torch", "numpy")) return true;
        Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the cross-check did not run.");
        return false;
    }

    private string WriteScript()
    {
        string path = Path.Combine(_dir, "torch_side.py");
        File.WriteAllText(path, Script);
        return path;
    }

    [Fact]
    public void A_network_saved_from_pytorch_loads_into_nabla_and_computes_the_same_outputs()
    {
        if (!TorchAvailable()) return;
        string file = Path.Combine(_dir, "torch.safetensors");
        double[] x = [0.5, -1.0, 2.0, 0.1, 0.2, -0.3];
        var torchOut = System.Text.Json.JsonSerializer.Deserialize<double[]>(Python.Run(WriteScript(), "export", file, "[[0.5,-1.0,2.0],[0.1,0.2,-0.3]]")!)!;

        var net = Mlp.Create<double>([3, 5, 4, 2], "tanh");
        StateDicts.Load(net, file);
        double[] ours;
        using (NoGrad.Scope()) ours = net.Forward(new Tensor<double>(x, 2, 3)).ToArray();
        Assert.Equal(torchOut.Length, ours.Length);
        for (int i = 0; i < ours.Length; i++) Assert.Equal(torchOut[i], ours[i], 13);
    }

    [Fact]
    public void A_model_trained_by_nabla_loads_into_pytorch_with_strict_names_and_computes_the_same_outputs()
    {
        if (!TorchAvailable()) return;
        var data = LabeledTable.FromDataset("moons", 120, 0.1, 3);
        var setup = new TrainSetup<double>(data, new TrainSettings { Epochs = 5, Activation = ActivationChoice.Tanh, Hidden = [6, 5], Loss = LossChoice.Ce });
        var trainer = setup.Trainer;
        while (!trainer.IsFinished) trainer.RunEpoch();
        string file = Path.Combine(_dir, "nabla.safetensors");
        ModelFile.Save(file, setup.Model);

        // PyTorch sees the network's input after standardisation; feed both sides the same standardised rows.
        double[] raw = [0.0, 1.0, 1.0, -0.5];
        var standardised = (double[])raw.Clone();
        setup.Set.Standardizer!.TransformInPlace(standardised);
        string rows = $"[[{standardised[0]:R},{standardised[1]:R}],[{standardised[2]:R},{standardised[3]:R}]]";
        var torchOut = System.Text.Json.JsonSerializer.Deserialize<double[]>(Python.Run(WriteScript(), "import", file, rows, "[2, 6, 5, 2]")!)!;

        double[] ours;
        using (NoGrad.Scope()) ours = trainer.Model.Forward(new Tensor<double>(standardised, 2, 2)).ToArray();
        for (int i = 0; i < ours.Length; i++) Assert.Equal(torchOut[i], ours[i], 13);
    }
}
