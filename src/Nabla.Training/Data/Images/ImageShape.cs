using System.Globalization;

namespace Nabla.Data;

/// <summary>The shape of one image, channels × height × width (PyTorch's CHW), as given on the command line: <c>1x28x28</c>.</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values per image: C·H·W.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Parses <c>CxHxW</c> (or <c>HxW</c> for one channel); throws naming the text and what is wrong.</summary>
    public static ImageShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('x', 'X', '×');
        if (parts.Length is < 2 or > 3)
            throw new NablaException($"image shape \"{text}\" should be CxHxW (for example 1x28x28) or HxW");
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1 || sizes[i] > 65536)
                throw new NablaException($"image shape \"{text}\": \"{parts[i]}\" is not a size from 1 to 65536");
        var shape = sizes.Length == 3 ? new ImageShape(sizes[0], sizes[1], sizes[2]) : new ImageShape(1, sizes[0], sizes[1]);
        if ((long)shape.Channels * shape.Height * shape.Width > int.MaxValue / 8)
            throw new NablaException($"image shape \"{text}\" has too many values per image");
        return shape;
    }

    /// <summary>Checks that rows of <paramref name="columns"/> values hold one image each; <paramref name="source"/> names the data.</summary>
    public void CheckColumns(int columns, string source)
    {
        if (columns != Size)
            throw new NablaException($"{source} has {columns} feature columns, but an image of {this} needs {Channels}·{Height}·{Width} = {Size}");
    }

    /// <summary>[C, H, W], the shape of one sample as a tensor without the batch axis.</summary>
    public int[] ToArray() => [Channels, Height, Width];

    /// <summary><c>CxHxW</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Channels}x{Height}x{Width}");
}
