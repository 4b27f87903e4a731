using System.Globalization;
using System.Xml.Linq;

namespace Nabla.Reports;

/// <summary>One named line of a <see cref="LineChart"/>: points (X[i], Y[i]).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// A line chart rendered as a self-contained SVG document: title, axis labels, nice ticks with labels and grid lines,
/// one <c>&lt;polyline&gt;</c> per series (one point per drawable input point, a circle marker when a series has a
/// single point), distinct colours and a legend. Points with a non-finite coordinate — or y ≤ 0 on a log axis — are
/// skipped and counted in a note under the chart. Used for training curves (<c>--plot loss.svg</c>).
/// </summary>
public sealed class LineChart
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    private const double Left = 70, Right = 160, Top = 40, Bottom = 60;

    private readonly List<ChartSeries> _series = [];

    /// <summary>The title drawn above the plot.</summary>
    public string Title { get; set; } = "";

    /// <summary>The x-axis label.</summary>
    public string XLabel { get; set; } = "";

    /// <summary>The y-axis label.</summary>
    public string YLabel { get; set; } = "";

    /// <summary>Whether the y axis is logarithmic (decade ticks; y ≤ 0 skipped).</summary>
    public bool LogY { get; set; }

    /// <summary>The SVG width in pixels, at least 300.</summary>
    public int Width { get; set => field = value >= 300 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Width must be at least 300."); } = 720;

    /// <summary>The SVG height in pixels, at least 200.</summary>
    public int Height { get; set => field = value >= 200 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Height must be at least 200."); } = 420;

    /// <summary>The series added so far, in drawing (and colour) order.</summary>
    public IReadOnlyList<ChartSeries> Series => _series;

    /// <summary>Adds a series of points (x[i], y[i]).</summary>
    /// <exception cref="ArgumentException">x and y differ in length.</exception>
    public LineChart Add(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"Series \"{name}\" has {x.Count} x values but {y.Count} y values.", nameof(y));
        _series.Add(new ChartSeries(name, x, y));
        return this;
    }

    /// <summary>Adds a series with x = 1, 2, …, n (step or epoch numbers).</summary>
    public LineChart Add(string name, IReadOnlyList<double> y) =>
        Add(name, Enumerable.Range(1, y.Count).Select(i => (double)i).ToArray(), y);

    /// <summary>Writes <see cref="ToSvg"/> to a file.</summary>
    public void Save(string path) => Nabla.IO.AtomicFile.WriteAllText(path, ToSvg());

    /// <summary>The chart as an SVG document (UTF-8 text, no external resources).</summary>
    public string ToSvg()
    {
        var drawable = _series.Select(s => Enumerable.Range(0, s.X.Count).Where(i => Drawable(s.X[i], s.Y[i]))
            .Select(i => (X: s.X[i], Y: s.Y[i])).ToList()).ToList();
        int skipped = _series.Sum(s => s.X.Count) - drawable.Sum(p => p.Count);
        var all = drawable.SelectMany(p => p).ToList();

        double[] xTicks = all.Count == 0 ? [0, 1] : NiceTicks.Linear(all.Min(p => p.X), all.Max(p => p.X));
        double[] yTicks = all.Count == 0 ? (LogY ? [1, 10] : [0, 1])
            : LogY ? NiceTicks.Log10(all.Min(p => p.Y), all.Max(p => p.Y)) : NiceTicks.Linear(all.Min(p => p.Y), all.Max(p => p.Y));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Px(double x) => Left + (x - xTicks[0]) / (xTicks[^1] - xTicks[0]) * plotW;
        double Py(double y) => LogY
            ? Top + plotH - (Math.Log10(y) - Math.Log10(yTicks[0])) / (Math.Log10(yTicks[^1]) - Math.Log10(yTicks[0])) * plotH
            : Top + plotH - (y - yTicks[0]) / (yTicks[^1] - yTicks[0]) * plotH;

        var root = new XElement(Svg + "svg", new XAttribute("width", Width), new XAttribute("height", Height),
            new XAttribute("viewBox", $"0 0 {Width} {Height}"), new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", 12),
            new XElement(Svg + "title", Title),
            new XElement(Svg + "rect", new XAttribute("width", Width), new XAttribute("height", Height), new XAttribute("fill", "white")),
            Text(Width / 2.0, 24, Title, "middle", ("font-size", "16"), ("class", "title")));

        var grid = new XElement(Svg + "g", new XAttribute("class", "grid"), new XAttribute("stroke", "#e0e0e0"));
        var labels = new XElement(Svg + "g", new XAttribute("class", "ticks"));
        foreach (double t in xTicks)
        {
            grid.Add(Line(Px(t), Top, Px(t), Top + plotH));
            labels.Add(Text(Px(t), Top + plotH + 18, NiceTicks.Label(t), "middle", ("class", "x-tick")));
        }
        foreach (double t in yTicks)
        {
            grid.Add(Line(Left, Py(t), Left + plotW, Py(t)));
            labels.Add(Text(Left - 8, Py(t) + 4, NiceTicks.Label(t), "end", ("class", "y-tick")));
        }
        root.Add(grid, labels,
            new XElement(Svg + "rect", new XAttribute("class", "axes"), new XAttribute("x", N(Left)), new XAttribute("y", N(Top)),
                new XAttribute("width", N(plotW)), new XAttribute("height", N(plotH)), new XAttribute("fill", "none"), new XAttribute("stroke", "#333")),
            Text(Left + plotW / 2, Height - 18, XLabel, "middle", ("class", "x-label")),
            Text(18, Top + plotH / 2, YLabel, "middle", ("class", "y-label"), ("transform", $"rotate(-90 18 {N(Top + plotH / 2)})")));

        var legend = new XElement(Svg + "g", new XAttribute("class", "legend"));
        for (int s = 0; s < _series.Count; s++)
        {
            string colour = Palette[s % Palette.Length];
            var points = drawable[s];
            root.Add(new XElement(Svg + "polyline", new XAttribute("class", "series"), new XAttribute("data-name", _series[s].Name),
                new XAttribute("fill", "none"), new XAttribute("stroke", colour), new XAttribute("stroke-width", 2),
                new XAttribute("points", string.Join(" ", points.Select(p => $"{N(Px(p.X))},{N(Py(p.Y))}")))));
            if (points.Count == 1)
                root.Add(new XElement(Svg + "circle", new XAttribute("cx", N(Px(points[0].X))), new XAttribute("cy", N(Py(points[0].Y))),
                    new XAttribute("r", 3), new XAttribute("fill", colour)));
            double ly = Top + 10 + 20 * s, lx = Left + plotW + 16;
            legend.Add(Line(lx, ly, lx + 24, ly, ("stroke", colour), ("stroke-width", "3")), Text(lx + 30, ly + 4, _series[s].Name, "start"));
        }
        root.Add(legend);
        if (skipped > 0 || all.Count == 0)
        {
            string note = all.Count == 0 ? "no drawable points" : $"{skipped} point{(skipped == 1 ? "" : "s")} skipped (NaN, ∞{(LogY ? " or y ≤ 0" : "")})";
            root.Add(Text(Left, Height - 4, note, "start", ("class", "note"), ("fill", "#a00")));
        }
        return root.ToString();
    }

    private bool Drawable(double x, double y) => double.IsFinite(x) && double.IsFinite(y) && (!LogY || y > 0);

    private static XElement Line(double x1, double y1, double x2, double y2, params (string Name, string Value)[] extra) =>
        new(Svg + "line", new XAttribute("x1", N(x1)), new XAttribute("y1", N(y1)), new XAttribute("x2", N(x2)), new XAttribute("y2", N(y2)),
            extra.Select(a => new XAttribute(a.Name, a.Value)));

    private static XElement Text(double x, double y, string text, string anchor, params (string Name, string Value)[] extra) =>
        new(Svg + "text", new XAttribute("x", N(x)), new XAttribute("y", N(y)), new XAttribute("text-anchor", anchor),
            extra.Select(a => new XAttribute(a.Name, a.Value)), text);

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
