using Microsoft.Extensions.Logging;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Options;
using Moltworker.Knowledge.Reranking;
using Moltworker.Knowledge.Stores;

namespace Moltworker.Knowledge.Search;

/// <summary>
/// Searches the knowledge base: hybrid (BM25 + vectors, RRF) when an embedding model is configured,
/// keyword-only (BM25) otherwise, and keyword-only with a note when the embedding endpoint fails for the query;
/// then, when configured, the reranking stage (<see cref="RerankingStage"/>).
/// </summary>
public sealed partial class KnowledgeSearchService(IKnowledgeStore store, KnowledgeEmbedder embedder, KnowledgeOptions options,
    ILogger<KnowledgeSearchService> logger, TimeProvider? time = null, RerankingStage? reranking = null)
{
    public string Describe => embedder.Describe;

    public async Task<KnowledgeResults> SearchAsync(string query, int? top, SearchFilter? filter, CancellationToken cancellationToken)
    {
        var count = Math.Clamp(top ?? options.DefaultTop, 1, Math.Max(1, options.MaxTop));
        var request = new SearchRequest(query, reranking?.Candidates(count) ?? count)
        {
            Filter = filter ?? SearchFilter.None,
            Candidates = Math.Max(count * Math.Max(1, options.CandidateMultiplier), 20),
            RrfK = options.RrfK,
            Documents = options.RankDocuments ? DocumentRankingSettings.Default with { PassagesPerDocument = Math.Max(1, options.PassagesPerDocument) } : null,
        };
        if (string.IsNullOrWhiteSpace(query)) return new KnowledgeResults(query, [], "keyword-only", "The query is empty.");

        string? note = embedder.IsEnabled ? null : "No embedding model is configured: keyword-only (BM25) results.";
        if (embedder.IsEnabled)
        {
            using var budget = new CancellationTokenSource(options.QueryEmbeddingTimeout, time ?? TimeProvider.System);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
            try
            {
                request = request with { Vector = (await embedder.EmbedAsync([query], linked.Token))[0] };
            }
            catch (EmbeddingHttpException ex)
            {
                LogEmbeddingFailed(logger, ex.Message);
                note = $"The embedding endpoint failed ({ex.Message}): keyword-only (BM25) results.";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogEmbeddingFailed(logger, "timed out");
                note = $"The embedding endpoint did not answer within {options.QueryEmbeddingTimeout.TotalSeconds:0.#} s: keyword-only (BM25) results.";
            }
        }
        IReadOnlyList<SearchHit> hits = await store.SearchAsync(request, cancellationToken);
        var mode = request.Vector is null ? "keyword-only" : "hybrid";
        if (reranking is { IsEnabled: true })
        {
            var (reranked, failure) = await reranking.RerankAsync(query, hits, count, cancellationToken);
            hits = reranked;
            mode += failure is null ? ", reranked" : "";
            note = failure is null ? note : note is null ? failure : note + " " + failure;
        }
        return new KnowledgeResults(query, hits, mode, note);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Query embedding failed, searching by keywords only: {Reason}")]
    private static partial void LogEmbeddingFailed(ILogger logger, string reason);
}
