using System.Globalization;
using System.Text;
using Nabla.Records;

namespace Nabla.Reports;

/// <summary>
/// A regression's plot of the fit as inline SVG: one <c>circle.fit-point</c> per row at (actual, predicted), both axes
/// over the same range so that the dashed <c>line.identity</c> y = x marks a perfect prediction; a point above it was
/// over-predicted. Each circle carries its values in <c>data-actual</c> and <c>data-predicted</c> (round-trip
/// decimals) and a <c>&lt;title&gt;</c> for hovering; the svg carries the axis range (<c>data-min</c>, <c>data-max</c>)
/// and the plot box (<c>data-box</c>: left top right bottom), so a reader can map values to positions.
/// </summary>
internal static class FitChart
{
    private const double Width = 580, Height = 300, Left = 64, Right = Width - 16, Top = 12, Bottom = Height - 44;

    public static string Svg(RegressionFit fit, string target)
    {
        var values = fit.Actual.Concat(fit.Predicted).ToArray();
        var ticks = NiceTicks.Linear(values.Min(), values.Max());
        double lo = ticks[0], hi = ticks[^1];
        double X(double v) => Left + (v - lo) / (hi - lo) * (Right - Left);
        double Y(double v) => Bottom - (v - lo) / (hi - lo) * (Bottom - Top);

        var svg = new StringBuilder();
        svg.Append($"<svg id=\"fit-chart\" class=\"chart\" viewBox=\"0 0 {F(Width)} {F(Height)}\" role=\"img\" ")
           .Append($"aria-label=\"Predicted against actual {ReportPage.Encode(target)}, one point per row\" ")
           .Append($"data-min=\"{R(lo)}\" data-max=\"{R(hi)}\" data-box=\"{F(Left)} {F(Top)} {F(Right)} {F(Bottom)}\" data-count=\"{fit.Actual.Count}\">");
        foreach (double t in ticks)
        {
            svg.Append($"<line class=\"grid\" x1=\"{F(X(t))}\" x2=\"{F(X(t))}\" y1=\"{F(Top)}\" y2=\"{F(Bottom)}\"/>")
               .Append($"<line class=\"grid\" x1=\"{F(Left)}\" x2=\"{F(Right)}\" y1=\"{F(Y(t))}\" y2=\"{F(Y(t))}\"/>")
               .Append($"<text class=\"tick\" x=\"{F(X(t))}\" y=\"{F(Bottom + 16)}\" text-anchor=\"middle\">{NiceTicks.Label(t)}</text>")
               .Append($"<text class=\"tick\" x=\"{F(Left - 6)}\" y=\"{F(Y(t) + 4)}\" text-anchor=\"end\">{NiceTicks.Label(t)}</text>");
        }
        svg.Append($"<rect class=\"frame\" x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(Right - Left)}\" height=\"{F(Bottom - Top)}\" fill=\"none\"/>");
        svg.Append($"<line class=\"identity\" x1=\"{F(X(lo))}\" y1=\"{F(Y(lo))}\" x2=\"{F(X(hi))}\" y2=\"{F(Y(hi))}\"/>");
        for (int i = 0; i < fit.Actual.Count; i++)
        {
            double a = fit.Actual[i], p = fit.Predicted[i];
            svg.Append($"<circle class=\"fit-point\" r=\"3\" cx=\"{F(X(a))}\" cy=\"{F(Y(p))}\" data-actual=\"{R(a)}\" data-predicted=\"{R(p)}\">")
               .Append($"<title>actual {R(a)}, predicted {R(p)}</title></circle>");
        }
        string name = ReportPage.Encode(target);
        svg.Append($"<text class=\"axis-label\" x=\"{F((Left + Right) / 2)}\" y=\"{F(Height - 6)}\" text-anchor=\"middle\">actual {name}</text>")
           .Append($"<text class=\"axis-label\" transform=\"translate(14 {F((Top + Bottom) / 2)}) rotate(-90)\" text-anchor=\"middle\">predicted {name}</text>")
           .Append("</svg>");
        return svg.ToString();
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
