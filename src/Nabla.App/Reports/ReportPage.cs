using System.Net;
using System.Text;
using Nabla.Reports.Assets;

namespace Nabla.Reports;

/// <summary>
/// The shell every Nabla HTML report shares: one self-contained document (no network access needed to open it),
/// a dark header with a title and a subtitle, the shared stylesheet (<see cref="Css"/>: cards, tables, typography,
/// the colours of positive and negative values), and a Content-Security-Policy that forbids loading anything from
/// outside the file. Pages put their content in cards (<c>&lt;section class="card"&gt;</c>) inside the body.
/// </summary>
public static class ReportPage
{
    /// <summary>
    /// Allows only inline style and script and <c>data:</c> images, so a report cannot fetch anything even if its data
    /// contained a URL.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

    /// <summary>The shared stylesheet (CSS custom properties <c>--pos</c> and <c>--neg</c> colour signed values).</summary>
    public static string Css => ReportAssets.PageCss;

    /// <summary>
    /// A complete HTML document: <paramref name="title"/> in the tab and the header, <paramref name="subtitle"/> under it,
    /// the shared stylesheet followed by <paramref name="css"/>, <paramref name="bodyHtml"/> inside <c>&lt;main&gt;</c>, and
    /// <paramref name="script"/> inlined at the end of the body.
    /// </summary>
    /// <param name="title">Plain text; it is HTML-encoded here.</param>
    /// <param name="bodyHtml">HTML, inserted as is.</param>
    /// <param name="script">JavaScript, or null for none; it must not contain <c>&lt;/script</c>.</param>
    /// <param name="subtitle">Plain text, or null.</param>
    /// <param name="css">Page-specific CSS, or null.</param>
    /// <exception cref="ArgumentException">The script or the CSS would end its element early.</exception>
    public static string Wrap(string title, string bodyHtml, string? script = null, string? subtitle = null, string? css = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(bodyHtml);
        if (script is not null && script.Contains("</script", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("The script contains '</script', which would end the <script> element early.", nameof(script));
        if (css is not null && css.Contains("</style", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("The CSS contains '</style', which would end the <style> element early.", nameof(css));

        var html = new StringBuilder(bodyHtml.Length + (script?.Length ?? 0) + 16_384);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">\n");
        html.Append("<meta name=\"generator\" content=\"Nabla\">\n");
        html.Append("<title>").Append(Encode(title)).Append("</title>\n");
        html.Append("<style>\n").Append(ReportAssets.PageCss).Append(css).Append("</style>\n</head>\n<body>\n");
        html.Append("<header class=\"page-header\"><div class=\"page-header-inner\">");
        html.Append("<div class=\"brand\" aria-hidden=\"true\">∇</div><div><h1>").Append(Encode(title)).Append("</h1>");
        if (subtitle is not null) html.Append("<p class=\"subtitle\">").Append(Encode(subtitle)).Append("</p>");
        html.Append("</div></div></header>\n<main>\n").Append(bodyHtml).Append("\n</main>\n");
        html.Append("<footer class=\"page-footer\">Made by Nabla · a self-contained page: nothing is loaded from the network.</footer>\n");
        if (script is not null) html.Append("<script>\n").Append(script).Append("\n</script>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// A <c>&lt;script type="application/json" id="…"&gt;</c> element holding <paramref name="json"/>, with every <c>&lt;/</c>
    /// written as <c>&lt;\/</c> (the same JSON value) so no string in the data can close the element. Read it back in the
    /// page with <c>JSON.parse(document.getElementById(id).textContent)</c>.
    /// </summary>
    public static string JsonBlock(string id, string json)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(json);
        string safe = json.Replace("</", "<\\/", StringComparison.Ordinal).Replace("<!--", "<\\u0021--", StringComparison.Ordinal);
        return $"<script type=\"application/json\" id=\"{Encode(id)}\">{safe}</script>";
    }

    /// <summary>HTML-encodes text for element content and double-quoted attribute values.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
