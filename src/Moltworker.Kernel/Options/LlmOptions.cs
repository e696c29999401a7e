namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Llm</c>: the OpenAI-compatible endpoint.</summary>
public sealed class LlmOptions
{
    /// <summary>e.g. https://api.openai.com/v1, https://openrouter.ai/api/v1, http://localhost:11434/v1</summary>
    public string? BaseUrl { get; set; }
    /// <summary>Sent as <c>Authorization: Bearer</c>; local servers that need none can leave it empty. Never logged.</summary>
    public string? ApiKey { get; set; }
    /// <summary>The model id the endpoint knows (<c>gpt-4o-mini</c>, <c>anthropic/claude-sonnet-4</c>, <c>llama3.1:8b</c>). With <c>BaseUrl</c> or <c>ApiKey</c> it makes the model configured.</summary>
    public string? Model { get; set; }

    /// <summary>A JSON model catalog merged over the built-in one.</summary>
    public string? CatalogPath { get; set; }

    /// <summary>low | medium | high, for models that take it (overrides the catalog).</summary>
    public string? ReasoningEffort { get; set; }

    /// <summary>Retries per model of 429, 5xx, 408, 409, network errors and timeouts before the catalog's fallback model is tried; 0 means none.</summary>
    public int MaxRetries { get; set; } = 3;
    /// <summary>First backoff; doubles each retry (<c>Retry-After</c> is honoured instead when the endpoint sends it).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Longest backoff. A <c>Retry-After</c> longer than this is not waited for: the next fallback model is tried at once.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Limit of one HTTP attempt; a timeout counts as a transient fault.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Model) && (!string.IsNullOrWhiteSpace(BaseUrl) || !string.IsNullOrWhiteSpace(ApiKey));
}
