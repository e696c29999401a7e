using Moltworker.Kernel.State;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Stores;

namespace Moltworker.Knowledge;

/// <summary>The "knowledge" entry of <c>/healthz</c>: store kind and counts, retrieval mode, and for Qdrant its /readyz.</summary>
public sealed class KnowledgeHealth(IKnowledgeStore store, KnowledgeEmbedder embedder) : IHealthContributor
{
    public string Name => "knowledge";

    public async Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        var entry = await store.CheckHealthAsync(cancellationToken);
        return entry with
        {
            Data = new { store = entry.Data, retrieval = embedder.IsEnabled ? "hybrid" : "keyword-only" },
        };
    }
}
