namespace Moltworker.Plugins.BuiltIn.WebSearch;

/// <summary>One search result: title, address and a snippet (plain text), and its age when the service gives one.</summary>
internal sealed record SearchHit(string Title, string Url, string Snippet, string? Age = null);
