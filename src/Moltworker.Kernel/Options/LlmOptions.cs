namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Llm</c>: the OpenAI-compatible endpoint.</summary>
public sealed class LlmOptions
{
    /// <summary>e.g. https://api.openai.com/v1, https://openrouter.ai/api/v1, http://localhost:11434/v1</summary>
    public string? BaseUrl { get; set; }
    public string? ApiKey { get; set; }
    public string? Model { get; set; }

    /// <summary>A JSON model catalog merged over the built-in one.</summary>
    public string? CatalogPath { get; set; }

    /// <summary>low | medium | high, for models that take it (overrides the catalog).</summary>
    public string? ReasoningEffort { get; set; }

    public int MaxRetries { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Model) && (!string.IsNullOrWhiteSpace(BaseUrl) || !string.IsNullOrWhiteSpace(ApiKey));
}
