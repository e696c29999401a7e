namespace Moltworker.Knowledge.Options;

/// <summary><c>Moltworker:Knowledge:Qdrant</c>: the Qdrant REST endpoint.</summary>
public sealed class QdrantOptions
{
    /// <summary>e.g. http://localhost:6333</summary>
    public string? Url { get; set; }

    /// <summary>Sent as the <c>api-key</c> header; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The Qdrant collection, created on first write.</summary>
    public string Collection { get; set; } = "moltworker_knowledge";

    /// <summary>Limit of one Qdrant request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of 408, 429, 5xx, timeouts and network errors (<c>Retry-After</c> honoured).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff of a retry; doubles each retry.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Points per scroll page when listing documents.</summary>
    public int ScrollPageSize { get; set; } = 256;

    /// <summary>Points per upsert request.</summary>
    public int UpsertBatchSize { get; set; } = 128;

    /// <summary>The average document length (tokens) used by the client-side BM25 term weights.</summary>
    public double Bm25AverageLength { get; set; } = 256;
}
