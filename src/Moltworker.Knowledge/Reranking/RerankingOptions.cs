namespace Moltworker.Knowledge.Reranking;

/// <summary><c>Moltworker:Knowledge:Reranking</c>: an optional second stage that reorders the first-stage candidates
/// with a cross-encoder behind a <c>/rerank</c> endpoint (the Cohere-compatible API that local reranker servers speak
/// too). Off unless <see cref="BaseUrl"/> is set.</summary>
public sealed class RerankingOptions
{
    /// <summary>Base URL of the reranker; <c>POST {BaseUrl}/rerank</c> is called (for example
    /// <c>http://localhost:8080/v1</c> or <c>https://api.cohere.com/v2</c>). Empty: no reranking.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The reranker model sent as <c>model</c> (for example <c>rerank-v3.5</c> or <c>BAAI/bge-reranker-v2-m3</c>).</summary>
    public string Model { get; set; } = "";

    /// <summary>Bearer key for hosted rerankers; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many first-stage candidates are reranked (the rest keep their order after them).</summary>
    public int TopN { get; set; } = 30;

    /// <summary>Time budget of one reranking call; when it runs out, the first-stage order is kept.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether reranking is configured.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(BaseUrl);

    /// <summary>Problems with these settings, for validation at start.</summary>
    public IEnumerable<string> Validate()
    {
        if (!IsEnabled) yield break;
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            yield return $"Moltworker:Knowledge:Reranking:BaseUrl must be an http(s) URL, not '{BaseUrl}'.";
        if (string.IsNullOrWhiteSpace(Model)) yield return "Moltworker:Knowledge:Reranking:Model is required when BaseUrl is set.";
        if (TopN is < 2 or > 1000) yield return "Moltworker:Knowledge:Reranking:TopN must be between 2 and 1000.";
        if (Timeout <= TimeSpan.Zero) yield return "Moltworker:Knowledge:Reranking:Timeout must be positive.";
    }
}
