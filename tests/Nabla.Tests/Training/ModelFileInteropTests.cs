using Nabla.Cli.Commands;
using System.Globalization;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Tests.Training;

/// <summary>
/// A model file means the same network to another reader: a short Python program parses the
/// safetensors bytes itself (no Nabla code), runs the MLP with NumPy as PyTorch's nn.Sequential would
/// (y = x·Wᵀ + b, ReLU between layers), and must print the logits Nabla computes.
/// </summary>
public sealed class ModelFileInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Reader = """
        import json, struct, sys
        import numpy as np
        raw = open(sys.argv[1], "rb").read()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n])
        meta = header.pop("__metadata__")
        data = raw[8 + n:]
        kinds = {"F64": "<f8", "F32": "<f4"}
        t = {k: np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], kinds[v["dtype"]]).reshape(v["shape"]) for k, v in header.items()}
        mean = np.array([float(s) for s in meta["standardizer.mean"].split(",")])
        std = np.array([float(s) for s in meta["standardizer.std"].split(",")])
        x = (np.array(json.loads(sys.argv[2]), dtype=np.float64) - mean) / std
        layers = sorted({int(k.split(".")[0]) for k in t})
        for i, layer in enumerate(layers):
            x = x @ t[f"{layer}.weight"].T + t[f"{layer}.bias"]
            if i < len(layers) - 1:
                x = np.maximum(x, 0)
        print(json.dumps(x.ravel().tolist()))
        """;

    [Fact]
    public void A_saved_model_computes_the_same_outputs_in_numpy_from_the_raw_file()
    {
        if (!Python.Has("numpy"))
        {
            Assert.Skip("/usr/bin/python3 with numpy is not installed (apt-get install python3-numpy), so the cross-check did not run.");
        }
        var data = LabeledTable.FromDataset("moons", 200, 0.1, 0);
        var setup = new TrainSetup<double>(data, new TrainSettings { Epochs = 20, Loss = LossChoice.Ce });
        var trainer = setup.Trainer;
        while (!trainer.IsFinished) trainer.RunEpoch();
        string path = Path.Combine(_dir, "m.safetensors");
        ModelFile.Save(path, setup.Model);
        double[] points = [0.0, 1.0, 1.0, -0.5, 0.3, 0.2];
        string json = "[[0.0, 1.0], [1.0, -0.5], [0.3, 0.2]]";

        string script = Path.Combine(_dir, "read.py");
        File.WriteAllText(script, Reader);
        var numpyLogits = System.Text.Json.JsonSerializer.Deserialize<double[]>(Python.Run(script, path, json))!;

        var probabilities = setup.Model.Predictor.Predict(points, 3).Probabilities!;
        for (int r = 0; r < 3; r++)
        {
            // Compare as softmax probabilities (what Nabla's predictor reports).
            double z0 = numpyLogits[2 * r], z1 = numpyLogits[2 * r + 1], m = Math.Max(z0, z1);
            double p1 = Math.Exp(z1 - m) / (Math.Exp(z0 - m) + Math.Exp(z1 - m));
            Assert.Equal(p1, probabilities[2 * r + 1], 12);
        }
    }

}
