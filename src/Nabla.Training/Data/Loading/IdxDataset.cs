using System.Numerics;

namespace Nabla.Data;

/// <summary>
/// Labelled images from a pair of IDX files (MNIST's layout), in memory: sample i is image i as values [C, H, W]
/// (unsigned-byte pixels scaled to [0, 1] by 1/255, as the CLI reads them; other element types unchanged) and its
/// class index as the target (batched as an <see cref="Nabla.Tensors.IndexTensor"/> [B]).
/// </summary>
public sealed class IdxDataset<T> : IDataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] pixels;
    private readonly int[] labels;

    private IdxDataset(T[] pixels, int[] labels, ImageShape shape, int classes)
    {
        this.pixels = pixels;
        this.labels = labels;
        ImageShape = shape;
        Classes = classes;
        Input = SampleField.Values(shape.Channels, shape.Height, shape.Width);
    }

    /// <summary>
    /// Reads images [N, H, W] or [N, C, H, W] from <paramref name="imagesPath"/> and N labels from
    /// <paramref name="labelsPath"/>, with the checks and messages of <see cref="IdxImages.Load"/> (rank, counts that
    /// differ, labels that are not whole numbers below Limits.MaxClasses, non-finite pixels, no images), each naming the file.
    /// </summary>
    public static IdxDataset<T> Load(string imagesPath, string labelsPath)
    {
        var data = IdxImages.Load(imagesPath, labelsPath);
        var pixels = new T[data.Features.Values.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = T.CreateChecked(data.Features.Values[i]);
        var labels = new int[data.Rows];
        for (int i = 0; i < labels.Length; i++) labels[i] = (int)data.Targets[i];
        return new IdxDataset<T>(pixels, labels, data.Image!.Value, data.Classes.Count);
    }

    /// <summary>The shape of each image.</summary>
    public ImageShape ImageShape { get; }

    /// <summary>The number of classes: one more than the largest label.</summary>
    public int Classes { get; }

    /// <inheritdoc/>
    public int Count => labels.Length;

    /// <summary>Values [C, H, W].</summary>
    public SampleField Input { get; }

    /// <summary>One class index per sample.</summary>
    public SampleField Target { get; } = SampleField.Indices();

    /// <inheritdoc/>
    public void CopySample(int index, SampleBuffers<T> into)
    {
        if ((uint)index >= (uint)labels.Length)
            throw new NablaArgumentException(nameof(index), $"IdxDataset.CopySample: index {index} is outside [0, {labels.Length})");
        int size = Input.Size;
        pixels.AsSpan(index * size, size).CopyTo(into.Inputs);
        into.TargetIndices[0] = labels[index];
    }
}
