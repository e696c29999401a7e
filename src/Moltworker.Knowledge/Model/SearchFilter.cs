namespace Moltworker.Knowledge.Model;

/// <summary>Restricts search. <see cref="Tags"/>: a passage matches when it has any of them.
/// <see cref="Source"/>: a source equal to it or lying under it (a folder or URL prefix ending at a '/').</summary>
public sealed record SearchFilter
{
    public static readonly SearchFilter None = new();

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Source { get; init; }

    public bool IsEmpty => Tags.Count == 0 && string.IsNullOrEmpty(Source);

    /// <summary>True when <paramref name="source"/> equals <paramref name="filter"/> or lies under it.</summary>
    public static bool SourceMatches(string source, string filter)
    {
        if (string.Equals(source, filter, StringComparison.Ordinal)) return true;
        var prefix = filter.EndsWith('/') ? filter : filter + "/";
        return source.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>The source itself and every folder above it ("/a/b/c.md" → "/a", "/a/b", "/a/b/c.md"),
    /// so "lies under" can be an exact match in stores that only match exactly.</summary>
    public static IReadOnlyList<string> SourcePrefixes(string source)
    {
        var list = new List<string>();
        for (var i = source.IndexOf('/', 1); i > 0; i = source.IndexOf('/', i + 1))
        {
            if (i > 0 && source[i - 1] != '/' && source[i - 1] != ':') list.Add(source[..i]);
        }
        list.Add(source.TrimEnd('/'));
        return list.Distinct(StringComparer.Ordinal).ToList();
    }
}
