namespace Moltworker.Knowledge.Options;

/// <summary><c>Moltworker:Embeddings</c>: an OpenAI-compatible <c>/embeddings</c> endpoint.
/// Without <see cref="Model"/>, retrieval is keyword-only (BM25).</summary>
public sealed class EmbeddingOptions
{
    public const string Section = "Moltworker:Embeddings";

    /// <summary>e.g. https://api.openai.com/v1 or http://localhost:11434/v1 (the path <c>/embeddings</c> is appended).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The embedding model (<c>text-embedding-3-small</c>, <c>nomic-embed-text</c>); without it retrieval is keyword-only.</summary>
    public string? Model { get; set; }

    /// <summary>Sent as a bearer token; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Ask the endpoint for this many dimensions (models that support it); null: the model's own.</summary>
    public int? Dimensions { get; set; }

    /// <summary>Texts per request.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Retries of 408, 429, 5xx, network errors and timeouts (<c>Retry-After</c> honoured).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff of a retry; doubles each retry.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest backoff of a retry.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Limit of one embeddings request; a timeout is retried.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Model) && !string.IsNullOrWhiteSpace(BaseUrl);
}
