using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Models;

/// <summary>The configured model, or the fact that there is none (the host still serves commands then).</summary>
public sealed class ModelAccess(IOptions<LlmOptions> options, ModelCatalog catalog, IServiceProvider services)
{
    public const string HowToConfigure =
        "No model is configured. Set Moltworker:Llm:BaseUrl, Moltworker:Llm:Model and (for hosted APIs) Moltworker:Llm:ApiKey, " +
        "e.g. environment variables Moltworker__Llm__BaseUrl=https://api.openai.com/v1 Moltworker__Llm__Model=gpt-4o-mini Moltworker__Llm__ApiKey=sk-…";

    private readonly Lazy<IChatClient?> _client = new(() => options.Value.IsConfigured ? (IChatClient?)services.GetService(typeof(IChatClient)) : null);

    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>The full client pipeline (resilience around the OpenAI-compatible client), or null.</summary>
    public IChatClient? Client => _client.Value;

    public ModelInfo Model => IsConfigured ? catalog.Get(options.Value.Model!) : ModelInfo.None;
}
