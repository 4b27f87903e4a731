namespace Nabla.Reports.Assets;

/// <summary>
/// The HTML pages' scripts and stylesheets. They are plain <c>.js</c> and <c>.css</c> files beside this class, embedded
/// in the assembly under <c>Nabla.Assets.</c> + the file name (see Nabla.App.csproj) so editors and eslint read them as
/// what they are; the pages inline them. Each is read once, when this class is first used, with line ends made
/// <c>\n</c> so a checkout with CRLF endings writes the same pages.
/// </summary>
internal static class ReportAssets
{
    /// <summary>
    /// The training report's script in its parts' order (their file names sort in it): the common helpers, the network
    /// diagram, the convolution filters, the line charts, the heat map, the scores card, and the wiring. The later parts
    /// call the helpers of the first, and all of them share the one function scope <see cref="TrainingReportScript"/>
    /// wraps them in (eslint.config.mjs lints each part inside that same wrapper). Each file opens with a comment
    /// saying what it draws.
    /// </summary>
    internal static readonly string[] TrainingReportParts =
    [
        "training-report-1-common.js",
        "training-report-2-network.js",
        "training-report-3-filters.js",
        "training-report-4-charts.js",
        "training-report-5-heatmap.js",
        "training-report-6-scores.js",
        "training-report-7-main.js",
    ];

    /// <summary>The stylesheet every report page shares (<see cref="ReportPage.Css"/>).</summary>
    public static string PageCss { get; } = Read("page.css");

    /// <summary>The training report's own styles, added after <see cref="PageCss"/>.</summary>
    public static string TrainingReportCss { get; } = Read("training-report.css");

    /// <summary>
    /// The training report's script: plain JavaScript without libraries, its parts in one strict-mode function scope.
    /// It reads the run from the <c>#run-data</c> JSON block, draws into the page's empty SVG elements, and when done
    /// sets <c>data-ready="true"</c> on the <c>&lt;html&gt;</c> element.
    /// </summary>
    public static string TrainingReportScript { get; } = Wrap(TrainingReportParts);

    /// <summary>The graph page's script: a node's expression, value and gradient beside the pointer on hover.</summary>
    public static string GraphScript { get; } = Read("graph.js");

    private static string Wrap(string[] parts)
    {
        var script = new System.Text.StringBuilder("(function () {\n'use strict';\n");
        foreach (string part in parts) script.Append(WithoutOpeningComment(part, Read(part)));
        return script.Append("})();\n").ToString();
    }

    /// <summary>
    /// A part without the <c>/* … */</c> comment it opens with: that comment tells the file's reader what the part draws
    /// and which elements and attributes it writes; the page does not need it.
    /// </summary>
    internal static string WithoutOpeningComment(string part, string text)
    {
        if (!text.StartsWith("/*", StringComparison.Ordinal)) return text;
        int end = text.IndexOf("*/\n", StringComparison.Ordinal);
        if (end < 0) throw new InvalidOperationException($"The opening comment of the embedded asset '{part}' has no '*/' ending a line.");
        return text[(end + 3)..];
    }

    private static string Read(string file)
    {
        string name = "Nabla.Assets." + file;
        using var stream = typeof(ReportAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource '{name}' is missing from Nabla.App; Nabla.App.csproj embeds Reports/Assets/*.js and *.css under that prefix.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
