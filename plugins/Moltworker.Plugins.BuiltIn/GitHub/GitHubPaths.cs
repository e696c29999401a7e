using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.GitHub;

/// <summary>Builds API paths from what the model passes: "owner/name" (or a github.com URL) and a file path.</summary>
internal static class GitHubPaths
{
    public static string Repository(string? repository, string? fallback)
    {
        var value = string.IsNullOrWhiteSpace(repository) ? fallback : repository.Trim();
        if (string.IsNullOrWhiteSpace(value))
            throw new ToolException("name a repository as \"owner/name\" (no Moltworker:Plugins:GitHub:DefaultRepository configured)");
        if (value.StartsWith("https://github.com/", StringComparison.OrdinalIgnoreCase)) value = value["https://github.com/".Length..];
        var parts = value.Trim('/').Split('/');
        if (parts.Length < 2 || parts[..2].Any(p => p.Length == 0 || p is "." or ".." || p.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
            throw new ToolException($"not a repository name: \"{value}\" (expected \"owner/name\")");
        return $"{parts[0]}/{(parts[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? parts[1][..^4] : parts[1])}";
    }

    public static string Contents(string repository, string? path, string? reference)
    {
        var segments = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or "..")) throw new ToolException("a file path may not contain \".\" or \"..\" segments");
        var escaped = string.Join('/', segments.Select(Uri.EscapeDataString));
        var query = string.IsNullOrWhiteSpace(reference) ? "" : $"?ref={Uri.EscapeDataString(reference.Trim())}";
        return $"/repos/{repository}/contents/{escaped}{query}";
    }

    /// <summary>An API path relative to the base URL; absolute URLs are refused so the token never leaves for another host.</summary>
    public static string Api(string path)
    {
        var value = path.Trim();
        if (value.StartsWith("https://api.github.com", StringComparison.OrdinalIgnoreCase)) value = value["https://api.github.com".Length..];
        if (!value.StartsWith('/') || value.StartsWith("//", StringComparison.Ordinal) || value.Contains("://", StringComparison.Ordinal) ||
            value.Split('?')[0].Split('/').Any(s => s is "." or ".."))
            throw new ToolException($"github_api takes an API path like \"/repos/owner/name/issues\", not \"{path}\"");
        return value;
    }
}
