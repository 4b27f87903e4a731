using System.Globalization;
using Nabla.Rng;
using Nabla.Training;

namespace Nabla.Data;

/// <summary>
/// "shapes": a built-in image classification set that needs no download. Each single-channel image is Gaussian noise
/// with one 5×5 glyph — a plus, an ×, a T or an L, each of 9 pixels so brightness gives nothing away — added at a
/// random position. The class is the glyph, wherever it is: a convolution's shared filters find it anywhere, while a
/// dense layer has to learn it at every position, so a small convolutional network beats an MLP of the same size.
/// </summary>
public static class ShapesDataset
{
    /// <summary>The class names, in class-index order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["plus", "cross", "tee", "ell"];

    private static readonly string[] Glyphs =
    [
        "..#..|..#..|#####|..#..|..#..",
        "#...#|.#.#.|..#..|.#.#.|#...#",
        "#####|..#..|..#..|..#..|..#..",
        "#....|#....|#....|#....|#####",
    ];

    /// <summary>
    /// <paramref name="n"/> images of 1×<paramref name="size"/>×<paramref name="size"/> (size ≥ 5) as rows of pixel
    /// columns: pixel = N(0, <paramref name="noise"/>²) noise, plus 1 on the glyph. Draws, per image: the class
    /// (an integer below 4), the glyph's row and column offsets, then the noise in row-major order.
    /// </summary>
    public static LabeledTable Create(int n, RandomState rng, int size = 16, double noise = 0.5)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 1) throw new NablaException($"the shapes dataset needs at least 1 image, not {n}");
        if (size is < 5 or > 256) throw new NablaException($"shapes images are 5 to 256 pixels wide, not {size}");
        if (!(noise >= 0) || !double.IsFinite(noise)) throw new NablaException($"shapes noise must be a finite number ≥ 0, not {noise}");
        int pixels = size * size;
        var features = new double[(long)n * pixels <= int.MaxValue / 2 ? n * pixels : throw new NablaException($"{n} images of {size}x{size} are too many")];
        var targets = new double[n];
        for (int i = 0; i < n; i++)
        {
            int label = (int)(rng.NextUInt32() % 4);
            int top = (int)(rng.NextUInt32() % (uint)(size - 4)), left = (int)(rng.NextUInt32() % (uint)(size - 4));
            var image = features.AsSpan(i * pixels, pixels);
            for (int p = 0; p < pixels; p++) image[p] = noise == 0 ? 0 : rng.Normal(0, noise);
            var rows = Glyphs[label].Split('|');
            for (int r = 0; r < 5; r++)
                for (int c = 0; c < 5; c++)
                    if (rows[r][c] == '#') image[(top + r) * size + left + c] += 1;
            targets[i] = label;
        }
        var names = Enumerable.Range(0, pixels).Select(p => "pixel" + p.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new LabeledTable(new Table(names, features), targets, TaskKind.Classification, ClassNames, "shape")
            { Description = "shapes", Image = new ImageShape(1, size, size) };
    }
}
