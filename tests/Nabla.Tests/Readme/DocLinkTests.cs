using System.Text.RegularExpressions;

namespace Nabla.Tests.Readme;

/// <summary>
/// Every relative link in README.md, bench/README.md, the packages' READMEs and docs/*.md names a file or folder
/// that a clone holds: a reader who follows one must not land outside the repository (as `../shared/…` did).
/// </summary>
public sealed partial class DocLinkTests
{
    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    private static IEnumerable<string> Documents(string root) =>
        new[] { "README.md", "bench/README.md" }.Select(p => Path.Combine(root, p))
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
            .Concat(Directory.GetFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories))
            .Where(File.Exists);

    /// <summary>The relative targets of the Markdown links in <paramref name="text"/>, each with its line number.</summary>
    internal static IEnumerable<(int Line, string Target)> RelativeLinks(string text)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
            foreach (Match m in MarkdownLink().Matches(lines[i]))
            {
                string target = m.Groups[1].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith('#') || target.StartsWith("mailto:", StringComparison.Ordinal))
                    continue;
                int hash = target.IndexOf('#');
                yield return (i + 1, hash >= 0 ? target[..hash] : target);
            }
    }

    [Fact]
    public void Every_relative_link_resolves_to_a_file_in_the_repository()
    {
        string root = Path.GetFullPath(Samples.SampleRunner.RepositoryRoot());
        var broken = new List<string>();
        int checkedLinks = 0;
        foreach (var doc in Documents(root))
        {
            foreach (var (line, target) in RelativeLinks(File.ReadAllText(doc)))
            {
                checkedLinks++;
                string full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(doc)!, Uri.UnescapeDataString(target)));
                bool inside = full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                if (!inside || !(File.Exists(full) || Directory.Exists(full)))
                    broken.Add($"{Path.GetRelativePath(root, doc)}:{line}: {target} ({(inside ? "no such file" : "outside the repository")})");
            }
        }
        Assert.True(checkedLinks >= 10, $"only {checkedLinks} relative links found: the link pattern no longer matches the documents");
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_link_finder_sees_relative_links_and_skips_web_addresses_and_anchors()
    {
        var links = RelativeLinks("see [a](docs/a.md#part) and [b](https://x.org/b.md)\n[c](#top) [d](../shared/d.md)").ToList();
        Assert.Equal([(1, "docs/a.md"), (2, "../shared/d.md")], links);
    }
}
