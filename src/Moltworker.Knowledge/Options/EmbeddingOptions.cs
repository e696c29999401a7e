namespace Moltworker.Knowledge.Options;

/// <summary><c>Moltworker:Embeddings</c>: an OpenAI-compatible <c>/embeddings</c> endpoint.
/// Without <see cref="Model"/>, retrieval is keyword-only (BM25).</summary>
public sealed class EmbeddingOptions
{
    public const string Section = "Moltworker:Embeddings";

    /// <summary>e.g. https://api.openai.com/v1 or http://localhost:11434/v1 (the path <c>/embeddings</c> is appended).</summary>
    public string? BaseUrl { get; set; }

    public string? Model { get; set; }

    /// <summary>Sent as a bearer token; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Ask the endpoint for this many dimensions (models that support it); null: the model's own.</summary>
    public int? Dimensions { get; set; }

    /// <summary>Texts per request.</summary>
    public int BatchSize { get; set; } = 64;

    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Model) && !string.IsNullOrWhiteSpace(BaseUrl);
}
