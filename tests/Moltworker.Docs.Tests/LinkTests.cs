using Moltworker.Docs.Tests.Links;

namespace Moltworker.Docs.Tests;

/// <summary>Every relative link in README.md and docs/ points at a file or folder that exists, and every anchor at a
/// heading of the target page (GitHub's anchor rules).</summary>
public sealed class LinkTests
{
    [Fact]
    public void Every_relative_link_and_anchor_resolves()
    {
        var broken = new List<string>();
        var parsed = new Dictionary<string, MarkdownDocument>(StringComparer.Ordinal);
        MarkdownDocument Load(string path) => parsed.TryGetValue(path, out var d) ? d : parsed[path] = MarkdownDocument.Parse(File.ReadAllText(path));

        foreach (var file in DocsFiles.All())
        {
            var source = RepositoryFiles.PathOf(file);
            foreach (var (url, line) in Load(source).Links)
                if (LinkResolver.Check(source, url, Load) is { } problem) broken.Add($"{file}:{line}: {url}: {problem}");
        }
        Assert.True(broken.Count == 0, $"{broken.Count} broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_checker_finds_a_missing_file_and_a_missing_anchor()
    {
        var doc = MarkdownDocument.Parse("# Title\n\n## Two words, `code` and more!\n\n[a](nowhere.md) [b](#two-words-code-and-more) [c](#nope) `[d](x.md)`\n");
        Assert.Equal(["nowhere.md", "#two-words-code-and-more", "#nope"], doc.Links.Select(l => l.Url));
        Assert.Contains("two-words-code-and-more", doc.Anchors);
        Assert.DoesNotContain("nope", doc.Anchors);
        var slugs = new GitHubSlug();
        Assert.Equal(["numbers", "numbers-1", "numbers-2"], new[] { "Numbers", "Numbers", "Numbers" }.Select(slugs.Next));
        Assert.Equal("moltworkerllm", GitHubSlug.Of("Moltworker:Llm"));
    }
}
