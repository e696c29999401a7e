namespace Moltworker.Plugins.BuiltIn.Web;

/// <summary>The allowlist and denylist of URL prefixes (case-insensitive).</summary>
internal sealed class UrlRules(IReadOnlyList<string> allow, IReadOnlyList<string> deny)
{
    /// <summary>Null when the URL may be fetched, otherwise why not.</summary>
    public string? Refusal(Uri uri)
    {
        var url = uri.AbsoluteUri;
        if (allow.Count > 0 && !allow.Any(p => url.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            return $"refused to fetch {url}: not on the allowlist (Moltworker:Plugins:Web:AllowPrefixes)";
        if (deny.FirstOrDefault(p => url.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } match)
            return $"refused to fetch {url}: matches the denylist entry {match}";
        return null;
    }
}
