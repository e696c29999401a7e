namespace Moltworker.Docs.Tests.Links;

/// <summary>Resolves a relative link the way GitHub does: a path relative to the page (or, with a leading <c>/</c>, to
/// the repository), and an anchor among the target page's headings.</summary>
public static class LinkResolver
{
    /// <summary>Null when <paramref name="url"/>, written in <paramref name="source"/>, resolves; otherwise what is wrong.
    /// Links with a scheme (http, mailto…) are not checked.</summary>
    public static string? Check(string source, string url, Func<string, MarkdownDocument> load)
    {
        if (url.StartsWith("//", StringComparison.Ordinal) || url.Contains("://", StringComparison.Ordinal) ||
            url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) return null;
        var hash = url.IndexOf('#');
        var path = Uri.UnescapeDataString(hash >= 0 ? url[..hash] : url);
        var anchor = hash >= 0 ? Uri.UnescapeDataString(url[(hash + 1)..]) : null;
        var query = path.IndexOf('?');
        if (query >= 0) path = path[..query];

        var target = path.Length == 0 ? source
            : Path.GetFullPath(path.StartsWith('/') ? RepositoryFiles.PathOf(path.TrimStart('/')) : Path.Combine(Path.GetDirectoryName(source)!, path));
        if (!target.StartsWith(RepositoryFiles.Root, StringComparison.Ordinal)) return "points outside the repository";
        if (!File.Exists(target) && !Directory.Exists(target)) return "no such file";
        if (anchor is null || !target.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || !File.Exists(target)) return null;
        return load(target).Anchors.Contains(anchor) ? null : $"no heading with the anchor #{anchor}";
    }
}
