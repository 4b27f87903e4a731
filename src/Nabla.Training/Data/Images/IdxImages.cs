using System.Globalization;
using Nabla.Training;

namespace Nabla.Data;

/// <summary>Image classification data from a pair of IDX files (MNIST's layout), as a flat-row <see cref="LabeledTable"/>.</summary>
public static class IdxImages
{
    /// <summary>
    /// Images [N, H, W] (one channel) or [N, C, H, W] from <paramref name="imagesPath"/> and N class labels from
    /// <paramref name="labelsPath"/>; each image becomes one row of C·H·W pixel columns (unsigned bytes scaled to [0, 1]
    /// by 1/255, other types unchanged) and its label the class target (classes 0 … max label, named by their numbers); the table's <see cref="LabeledTable.Image"/> is the images' shape. Throws naming the file
    /// and what does not fit: rank, no images, counts that differ, labels that are not whole numbers from 0 to
    /// <see cref="Limits.MaxClasses"/> − 1.
    /// </summary>
    public static LabeledTable Load(string imagesPath, string labelsPath)
    {
        var (pixels, count, shape) = LoadImages(imagesPath);
        var labels = IdxFile.Load(labelsPath);
        if (labels.Dimensions.Count != 1)
            throw new NablaException($"{labelsPath}: labels need 1 dimension, the file has {labels.Dimensions.Count} ({string.Join("x", labels.Dimensions)})");
        if (labels.Dimensions[0] != count)
            throw new NablaException($"{labelsPath} has {labels.Dimensions[0]} labels but {imagesPath} has {count} images");
        // Checked before any network is sized from them: a label past the class limit would otherwise build (and
        // train) a network that the evaluation's classes × classes confusion matrix cannot hold.
        int classes = 0;
        for (int i = 0; i < labels.Values.Length; i++)
        {
            double v = labels.Values[i];
            if (v < 0 || v != Math.Floor(v) || v >= Limits.MaxClasses)
                throw new NablaException($"{labelsPath}: label {i} is {v.ToString(CultureInfo.InvariantCulture)}, not a class number from 0 to {Limits.MaxClasses - 1} " +
                    $"(the limit is {Limits.MaxClasses:N0} classes, see docs/limits.md)");
            classes = Math.Max(classes, (int)v + 1);
        }
        return new LabeledTable(new Table(PixelNames(shape), pixels), labels.Values, TaskKind.Classification, Datasets.NumberedClasses(classes), "label")
            { Description = Path.GetFileName(imagesPath), Image = shape };
    }

    /// <summary>
    /// The images of an IDX file alone (for predictions), as rows of C·H·W pixels: unsigned bytes scaled to [0, 1],
    /// other types unchanged. Throws naming the file when it is not 3- or 4-dimensional, holds no images, or its images
    /// are empty.
    /// </summary>
    public static (double[] Pixels, int Count, ImageShape Shape) LoadImages(string imagesPath)
    {
        var images = IdxFile.Load(imagesPath);
        var d = images.Dimensions;
        if (d.Count is not (3 or 4))
            throw new NablaException($"{imagesPath}: images need 3 dimensions (count, rows, columns) or 4 (count, channels, rows, columns), the file has {d.Count} ({string.Join("x", d)})");
        var shape = d.Count == 3 ? new ImageShape(1, d[1], d[2]) : new ImageShape(d[1], d[2], d[3]);
        if (shape.Size == 0) throw new NablaException($"{imagesPath}: images of shape {string.Join("x", d.Skip(1))} hold no pixels");
        if (d[0] == 0) throw new NablaException($"{imagesPath}: the file holds no images (its header says {string.Join("x", d)})");
        var pixels = images.Values;
        if (images.TypeCode == 0x08)
            for (int i = 0; i < pixels.Length; i++) pixels[i] /= 255.0;
        return (pixels, d[0], shape);
    }

    /// <summary>The column names of an image's pixels: pixel0, pixel1, … in row-major C·H·W order.</summary>
    public static string[] PixelNames(ImageShape shape) =>
        [.. Enumerable.Range(0, shape.Size).Select(i => "pixel" + i.ToString(CultureInfo.InvariantCulture))];

    /// <summary>True when <paramref name="path"/> starts as an IDX file does (two zero bytes) or is gzip-compressed.</summary>
    public static bool LooksLikeIdx(string path)
    {
        if (!File.Exists(path)) return false;
        Span<byte> head = stackalloc byte[2];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(head, 2, throwOnEndOfStream: false) == 2 && ((head[0] == 0 && head[1] == 0) || (head[0] == 0x1F && head[1] == 0x8B));
    }
}
