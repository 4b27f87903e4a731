using System.Diagnostics;

namespace Nabla.Tests.Training;

/// <summary>Debian's Python (/usr/bin/python3), for the tests that read Nabla's files from an independent implementation.</summary>
internal static class Python
{
    private const string Executable = "/usr/bin/python3";

    /// <summary>True when Python can import every one of <paramref name="modules"/>.</summary>
    public static bool Has(params string[] modules)
    {
        if (!File.Exists(Executable)) return false;
        var start = new ProcessStartInfo(Executable, ["-c", "import " + string.Join(", ", modules)]) { RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    /// <summary>Runs Python with <paramref name="args"/>; asserts it succeeded and returns what it printed.</summary>
    public static string Run(params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result);
        return stdout;
    }

    /// <summary>
    /// Python functions save(path, tensors) and load(path) that write and read safetensors files themselves (the
    /// tests need no safetensors package): F64 for floating tensors, I64 for integer ones, keys in the dict's order.
    /// Scripts start with this text, which also imports json, struct, sys, numpy as np and torch.
    /// </summary>
    public const string SafetensorsFunctions = """
        import json, struct, sys
        import numpy as np
        import torch

        def save(path, tensors):
            header, offset, blobs = {}, 0, []
            for name, t in tensors.items():
                kind, fmt = ("I64", "<i8") if t.dtype == torch.int64 else ("F64", "<f8")
                data = t.detach().contiguous().numpy().astype(fmt).tobytes()
                header[name] = {"dtype": kind, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
                offset += len(data)
                blobs.append(data)
            text = json.dumps(header, separators=(",", ":")).encode()
            text += b" " * (-len(text) % 8)
            open(path, "wb").write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

        def load(path):
            raw = open(path, "rb").read()
            (n,) = struct.unpack("<Q", raw[:8])
            header = json.loads(raw[8:8 + n]); header.pop("__metadata__", None)
            kinds = {"F64": "<f8", "F32": "<f4", "I64": "<i8"}
            return {k: torch.from_numpy(np.frombuffer(raw[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]], kinds[v["dtype"]]).reshape(v["shape"]).copy()) for k, v in header.items()}

        """;
}
