using System.Net;
using System.Text.Json.Nodes;
using Moltworker.Kernel.State;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Options;

namespace Moltworker.Knowledge.Stores.Qdrant;

/// <summary>
/// The knowledge base in a Qdrant collection, over REST: created on first write with a named dense vector (when
/// chunks carry embeddings) and a sparse BM25 vector with the <c>idf</c> modifier, payload indexes for document id,
/// source, tags and kind; upserts with <c>wait=true</c>; hybrid search through <c>points/query</c> with two prefetches
/// fused by RRF; filters by tag and source; deletes by filter.
/// </summary>
public sealed class QdrantKnowledgeStore(QdrantClient client, QdrantOptions options) : IKnowledgeStore
{
    private readonly Bm25SparseEncoder _bm25 = new(options.Bm25AverageLength);
    private readonly SemaphoreSlim _ensureGate = new(1, 1);
    private volatile bool _exists;

    public string Kind => "qdrant";

    /// <summary>Creates the collection and its payload indexes when missing. <paramref name="dimensions"/>: the dense
    /// vector size (null: keyword-only collection).</summary>
    public async Task EnsureCollectionAsync(int? dimensions, CancellationToken ct)
    {
        if (_exists) return;
        await _ensureGate.WaitAsync(ct);
        try
        {
            if (_exists) return;
            if (!await client.CollectionExistsAsync(ct))
            {
                var body = new JsonObject { ["sparse_vectors"] = new JsonObject { [QdrantPoints.Sparse] = new JsonObject { ["modifier"] = "idf" } } };
                if (dimensions is { } size) body["vectors"] = new JsonObject { [QdrantPoints.Dense] = new JsonObject { ["size"] = size, ["distance"] = "Cosine" } };
                try { await client.CreateCollectionAsync(body, ct); }
                catch (QdrantException ex) when (ex.Status == HttpStatusCode.Conflict) { }
                foreach (var field in new[] { "document_id", "source", "source_prefixes", "tags", "kind" })
                    await client.CreatePayloadIndexAsync(field, "keyword", ct);
                await client.CreatePayloadIndexAsync("position", "integer", ct);
            }
            _exists = true;
        }
        finally { _ensureGate.Release(); }
    }

    /// <summary>Asks Qdrant until the collection is seen once, then remembers it (collections are not dropped under us).</summary>
    private async Task<bool> ExistsAsync(CancellationToken ct) => _exists || (_exists = await client.CollectionExistsAsync(ct));

    public async Task<DocumentInfo?> GetDocumentAsync(string documentId, CancellationToken ct)
    {
        if (!await ExistsAsync(ct)) return null;
        var (points, _) = await client.ScrollAsync(new JsonObject
        {
            ["filter"] = QdrantPoints.Must(QdrantPoints.Match("kind", "document"), QdrantPoints.Match("document_id", documentId)),
            ["limit"] = 1,
            ["with_payload"] = true,
        }, ct);
        return points.Count == 0 ? null : QdrantPoints.ReadDocument(points[0]!["payload"]!.AsObject());
    }

    public async Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string? sourcePrefix, CancellationToken ct)
    {
        if (!await ExistsAsync(ct)) return [];
        QdrantPoints.Conditions(new SearchFilter { Source = sourcePrefix }, out var source);
        var filter = QdrantPoints.Must(QdrantPoints.Match("kind", "document"), source);
        var list = new List<DocumentInfo>();
        JsonNode? offset = null;
        do
        {
            var request = new JsonObject { ["filter"] = filter!.DeepClone(), ["limit"] = Math.Max(1, options.ScrollPageSize), ["with_payload"] = true };
            if (offset is not null) request["offset"] = offset;
            (var points, offset) = await client.ScrollAsync(request, ct);
            list.AddRange(points.Select(p => QdrantPoints.ReadDocument(p!["payload"]!.AsObject())));
        } while (offset is not null);
        return list.OrderBy(d => d.Source, StringComparer.Ordinal).ToList();
    }

    public async Task ReplaceDocumentAsync(DocumentInfo document, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken ct)
    {
        await EnsureCollectionAsync(chunks.FirstOrDefault(c => c.Vector is not null)?.Vector?.Length, ct);
        foreach (var batch in chunks.Chunk(Math.Max(1, options.UpsertBatchSize)))
        {
            var points = new JsonArray(batch.Select(c => (JsonNode)QdrantPoints.Chunk(c, document, _bm25.Document(IndexedText(c)))).ToArray());
            await client.UpsertAsync(points, ct);
        }
        // Chunks beyond the new count belong to the previous version of the document.
        await client.DeleteByFilterAsync(QdrantPoints.Must(
            QdrantPoints.Match("kind", "chunk"), QdrantPoints.Match("document_id", document.Id),
            new JsonObject { ["key"] = "position", ["range"] = new JsonObject { ["gte"] = chunks.Count } })!, ct);
        await client.UpsertAsync(new JsonArray(QdrantPoints.Marker(document with { ChunkCount = chunks.Count })), ct);
    }

    public async Task<bool> DeleteDocumentAsync(string documentId, CancellationToken ct)
    {
        if (await GetDocumentAsync(documentId, ct) is null) return false;
        await client.DeleteByFilterAsync(QdrantPoints.Must(QdrantPoints.Match("document_id", documentId))!, ct);
        return true;
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        if (!await ExistsAsync(ct)) return [];
        var mode = request.Mode == SearchMode.Auto ? (request.Vector is null ? SearchMode.Keyword : SearchMode.Hybrid) : request.Mode;
        if (mode != SearchMode.Keyword && request.Vector is null) mode = SearchMode.Keyword;
        var tags = QdrantPoints.Conditions(request.Filter, out var source);
        var filter = QdrantPoints.Must(QdrantPoints.Match("kind", "chunk"), tags, source);
        var (indices, values) = _bm25.Query(request.Text);
        var sparse = new JsonObject
        {
            ["indices"] = new JsonArray(indices.Select(i => (JsonNode)i).ToArray()),
            ["values"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()),
        };
        JsonNode Dense() => new JsonArray(request.Vector!.Select(v => (JsonNode)v).ToArray());

        JsonObject query = mode switch
        {
            SearchMode.Keyword => new JsonObject { ["query"] = sparse, ["using"] = QdrantPoints.Sparse },
            SearchMode.Vector => new JsonObject { ["query"] = Dense(), ["using"] = QdrantPoints.Dense },
            _ => new JsonObject
            {
                ["prefetch"] = new JsonArray(
                    new JsonObject { ["query"] = sparse, ["using"] = QdrantPoints.Sparse, ["filter"] = filter?.DeepClone(), ["limit"] = request.Candidates },
                    new JsonObject { ["query"] = Dense(), ["using"] = QdrantPoints.Dense, ["filter"] = filter?.DeepClone(), ["limit"] = request.Candidates }),
                ["query"] = new JsonObject { ["fusion"] = "rrf" },
            },
        };
        if (mode == SearchMode.Keyword && indices.Length == 0) return [];
        if (filter is not null) query["filter"] = filter;
        query["limit"] = Math.Max(1, request.Top);
        query["with_payload"] = true;
        if (mode == SearchMode.Hybrid && indices.Length == 0) ((JsonArray)query["prefetch"]!).RemoveAt(0);

        var points = await client.QueryAsync(query, ct);
        return points.Select((p, i) => new SearchHit(i + 1, p!["score"]!.GetValue<double>(), QdrantPoints.ReadChunk(p["payload"]!.AsObject()))
        {
            KeywordRank = mode == SearchMode.Keyword ? i + 1 : null,
            VectorRank = mode == SearchMode.Vector ? i + 1 : null,
        }).ToList();
    }

    public async Task<KnowledgeStats> GetStatsAsync(CancellationToken ct)
    {
        if (!await ExistsAsync(ct)) return new KnowledgeStats(0, 0, 0);
        var documents = await client.CountAsync(QdrantPoints.Must(QdrantPoints.Match("kind", "document")), ct);
        var chunks = await client.CountAsync(QdrantPoints.Must(QdrantPoints.Match("kind", "chunk")), ct);
        var vectors = await client.CountAsync(QdrantPoints.Must(new JsonObject { ["has_vector"] = QdrantPoints.Dense }), ct);
        return new KnowledgeStats(documents, chunks, vectors);
    }

    public async Task<HealthEntry> CheckHealthAsync(CancellationToken ct)
    {
        try
        {
            if (!await client.ReadyAsync(ct))
                return new HealthEntry(false, new { store = Kind, collection = client.Collection }, "Qdrant's /readyz does not answer 200: its shards are not ready.");
            var stats = await GetStatsAsync(ct);
            return new HealthEntry(true, new { store = Kind, collection = client.Collection, documents = stats.Documents, chunks = stats.Chunks, vectors = stats.Vectors });
        }
        catch (Exception ex) when (ex is QdrantException or HttpRequestException)
        {
            return new HealthEntry(false, new { store = Kind, collection = client.Collection }, $"Qdrant is unreachable or failing: {ex.Message}");
        }
    }

    private static string IndexedText(KnowledgeChunk chunk) => $"{chunk.Title}\n{chunk.HeadingText}\n{chunk.Text}";
}
