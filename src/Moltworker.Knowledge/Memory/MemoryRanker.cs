using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Memory;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Options;
using Moltworker.Knowledge.Questions;
using Moltworker.Knowledge.Stores;
using Moltworker.Knowledge.Stores.Qdrant;
using Moltworker.Knowledge.Text;

namespace Moltworker.Knowledge.Memory;

/// <summary>
/// Ranks one user's memories with the knowledge engine's pieces: BM25 over the words (<see cref="TermTokenizer"/>'s
/// terms, stemmed as <see cref="Proximity.Stem"/> does, term weights from <see cref="Bm25SparseEncoder"/> and the
/// inverse document frequency over this user's memories alone) and, with an embedding model, cosine similarity of the
/// vectors (at least <see cref="MemoryOptions.MinSimilarity"/>), the two fused by <see cref="RrfFusion"/> with
/// <c>Moltworker:Knowledge:RrfK</c>. Embedding the query is bounded by <c>QueryEmbeddingTimeout</c>; when it fails or
/// runs out, the ranking is by words alone (logged as a warning).
/// </summary>
public sealed partial class MemoryRanker(KnowledgeEmbedder embedder, KnowledgeOptions knowledge, IOptions<MemoryOptions> memory,
    ILogger<MemoryRanker> logger, TimeProvider time) : IMemoryRanker
{
    public bool UsesVectors => embedder.IsEnabled;

    public async Task<float[]?> EmbedAsync(string text, CancellationToken cancellationToken)
    {
        if (!embedder.IsEnabled) return null;
        using var budget = new CancellationTokenSource(knowledge.QueryEmbeddingTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return (await embedder.EmbedAsync([text], linked.Token))[0];
        }
        catch (EmbeddingHttpException ex)
        {
            LogEmbeddingFailed(ex.Message);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogEmbeddingFailed($"no answer within {knowledge.QueryEmbeddingTimeout.TotalSeconds:0.#} s");
            return null;
        }
    }

    public async Task<IReadOnlyList<RankedMemory>> RankAsync(string query, IReadOnlyList<UserMemory> memories, int top, CancellationToken cancellationToken)
    {
        if (memories.Count == 0 || top <= 0) return [];
        var rankings = new List<IReadOnlyList<int>> { ByWords(query, memories) };
        if (embedder.IsEnabled && memories.Any(m => m.Embedding is not null) && await EmbedAsync(query, cancellationToken) is { } vector)
            rankings.Add(ByVector(vector, memories, memory.Value.MinSimilarity));
        return RrfFusion.Fuse(rankings, knowledge.RrfK).Take(top).Select(f => new RankedMemory(memories[f.Id], f.Score)).ToList();
    }

    /// <summary>Indexes of the memories sharing a stemmed term with the query, by BM25 score (newer first on ties).</summary>
    private static List<int> ByWords(string query, IReadOnlyList<UserMemory> memories)
    {
        var (queryIds, _) = new Bm25SparseEncoder().Query(Terms(query));
        if (queryIds.Length == 0) return [];
        var terms = memories.Select(m => Terms(m.Text)).ToList();
        var encoder = new Bm25SparseEncoder(averageLength: Math.Max(1, terms.Average(t => t.Count)));
        var documents = terms.Select(encoder.Document).ToList();
        var frequency = new Dictionary<uint, int>();
        foreach (var id in queryIds) frequency[id] = documents.Count(d => Array.BinarySearch(d.Indices, id) >= 0);
        var scores = new List<(int Index, double Score)>();
        for (var i = 0; i < documents.Count; i++)
        {
            var score = 0.0;
            foreach (var id in queryIds)
            {
                var at = Array.BinarySearch(documents[i].Indices, id);
                if (at < 0) continue;
                var df = frequency[id];
                score += Math.Log(1 + (documents.Count - df + 0.5) / (df + 0.5)) * documents[i].Values[at];
            }
            if (score > 0) scores.Add((i, score));
        }
        return scores.OrderByDescending(s => s.Score).ThenByDescending(s => s.Index).Select(s => s.Index).ToList();
    }

    private static List<int> ByVector(float[] query, IReadOnlyList<UserMemory> memories, double minimum) =>
        memories.Select((m, i) => (Index: i, Similarity: m.Embedding is { } e && e.Length == query.Length ? TensorPrimitives.Dot(e, query) : float.NegativeInfinity))
            .Where(s => s.Similarity >= minimum)
            .OrderByDescending(s => s.Similarity).ThenByDescending(s => s.Index)
            .Select(s => s.Index).ToList();

    private static List<string> Terms(string text)
    {
        var terms = TermTokenizer.Tokenize(text);
        for (var i = 0; i < terms.Count; i++) terms[i] = Proximity.Stem(terms[i]);
        return terms;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory embedding failed, memories are matched by their words: {Reason}")]
    private partial void LogEmbeddingFailed(string reason);
}
