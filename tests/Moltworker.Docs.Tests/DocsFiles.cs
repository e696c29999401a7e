namespace Moltworker.Docs.Tests;

/// <summary>The Markdown files the checks cover: README.md and docs/, without docs/incoming/ (notes other
/// contributors write there are folded into the pages later).</summary>
public static class DocsFiles
{
    public static IReadOnlyList<string> All()
    {
        var docs = RepositoryFiles.PathOf("docs");
        var files = Directory.Exists(docs)
            ? Directory.GetFiles(docs, "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(f => !f.StartsWith("docs/incoming/", StringComparison.Ordinal))
            : [];
        return ["README.md", .. files.OrderBy(f => f, StringComparer.Ordinal)];
    }
}
