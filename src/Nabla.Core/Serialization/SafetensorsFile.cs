using System.Buffers.Binary;
using Nabla.IO;

namespace Nabla.Serialization;

/// <summary>
/// A safetensors file: an 8-byte little-endian header length N, N bytes of UTF-8 JSON describing each tensor
/// (<c>dtype</c>, <c>shape</c>, <c>data_offsets</c> relative to the data buffer) plus optional string
/// <c>__metadata__</c>, then the data buffer. Loading validates everything before any tensor is returned;
/// saving writes tensors sorted by name (ordinal), back to back, and replaces the target atomically.
/// </summary>
public sealed class SafetensorsFile
{
    /// <summary>Headers longer than this (100 000 000 bytes, the reference implementation's limit) are refused.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private SafetensorsFile(IReadOnlyList<SafeTensor> ordered, IReadOnlyDictionary<string, string> metadata)
    {
        Names = ordered.Select(t => t.Name).ToArray();
        Tensors = ordered.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Metadata = metadata;
    }

    /// <summary>The tensors by name.</summary>
    public IReadOnlyDictionary<string, SafeTensor> Tensors { get; }

    /// <summary>The tensor names in the order their data appears in the file.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The <c>__metadata__</c> strings; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="NablaException">There is no such tensor; the message lists the names present.</exception>
    public SafeTensor Get(string name, string source = "safetensors file") =>
        Tensors.TryGetValue(name, out var tensor)
            ? tensor
            : throw new NablaException($"{source}: no tensor named \"{name}\"; the file holds: {string.Join(", ", Names.Select(n => $"\"{n}\""))}");

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <exception cref="NablaException">The file is missing or is not a valid safetensors file; the message names
    /// the file and the problem.</exception>
    public static SafetensorsFile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NablaException($"{path}: file not found", ex);
        }
        return Parse(bytes, path);
    }

    /// <summary>Validates and decodes a whole safetensors file held in memory; <paramref name="source"/> names it in errors.</summary>
    public static SafetensorsFile Parse(ReadOnlySpan<byte> file, string source)
    {
        if (file.Length < 8)
            throw new NablaException($"{source}: not a safetensors file: {file.Length} bytes is shorter than the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderLength)
            throw new NablaException($"{source}: not a safetensors file: the header length {headerLength} exceeds the {MaxHeaderLength}-byte limit");
        if (8 + (long)headerLength > file.Length)
            throw new NablaException($"{source}: truncated or not a safetensors file: the header length {headerLength} is larger than the {file.Length - 8} bytes after it");
        var header = file.Slice(8, (int)headerLength);
        var data = file[(8 + (int)headerLength)..];
        var (entries, metadata) = SafetensorsHeaderReader.Parse(header, data.Length, source);
        var tensors = new List<SafeTensor>(entries.Count);
        foreach (var e in entries)
            tensors.Add(new SafeTensor(e.Name, e.DType, e.Shape, data[(int)e.Begin..(int)e.End].ToArray()));
        return new SafetensorsFile(tensors, metadata);
    }

    /// <summary>Writes <paramref name="tensors"/> (keys must equal the tensors' names) to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var (key, tensor) in tensors)
        {
            if (key != tensor.Name)
                throw new ArgumentException($"the tensor stored under \"{key}\" is named \"{tensor.Name}\"", nameof(tensors));
        }
        Save(path, tensors.Values, metadata);
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/>, atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Save(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var bytes = Serialize(tensors, metadata);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// The bytes of a safetensors file holding <paramref name="tensors"/> sorted by name (ordinal) and laid out
    /// back to back from offset 0, with metadata keys sorted (ordinal) and the header padded with spaces to a
    /// multiple of 8 bytes.
    /// </summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or a tensor is named <c>__metadata__</c>.</exception>
    public static byte[] Serialize(IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].Name == "__metadata__")
                throw new ArgumentException("a tensor cannot be named \"__metadata__\"", nameof(tensors));
            if (i > 0 && ordered[i].Name == ordered[i - 1].Name)
                throw new ArgumentException($"two tensors are named \"{ordered[i].Name}\"", nameof(tensors));
        }
        var header = SafetensorsHeaderWriter.Build(ordered, metadata);
        var result = new byte[8 + header.Length + ordered.Sum(t => (long)t.Data.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        var position = 8 + header.Length;
        foreach (var tensor in ordered)
        {
            tensor.Data.CopyTo(result.AsSpan(position));
            position += tensor.Data.Length;
        }
        return result;
    }
}
