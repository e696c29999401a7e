using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.WebSearch;

/// <summary><c>Moltworker:Plugins:WebSearch</c></summary>
[PluginOptions]
public sealed class WebSearchOptions
{
    /// <summary>Which search service answers <c>web_search</c>: <c>Brave</c> (the Brave Search API, needs
    /// <see cref="ApiKey"/>) or <c>SearXNG</c> (any SearXNG instance with its JSON format on, needs <see cref="BaseUrl"/>).
    /// Empty: the tool answers with how to configure it.</summary>
    public string? Provider { get; set; }

    /// <summary>The service's address. Brave: empty means <c>https://api.search.brave.com</c>. SearXNG: the instance,
    /// e.g. <c>http://searxng:8080</c> (required).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Brave: the subscription token (sent as <c>X-Subscription-Token</c>). SearXNG: optional, sent as
    /// <c>Authorization: Bearer</c> for instances behind an authenticating proxy. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Results returned when the call asks for no count.</summary>
    public int DefaultCount { get; set; } = 5;

    /// <summary>Results returned at most, whatever the call asks for.</summary>
    public int MaxCount { get; set; } = 20;

    /// <summary>How long one search may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Bytes of the service's answer read at most; a larger answer is refused.</summary>
    public long MaxResponseBytes { get; set; } = 2 * 1024 * 1024;
}
