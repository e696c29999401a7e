using System.Globalization;
using System.Text.Json.Nodes;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Stores.Qdrant;

/// <summary>
/// How documents and chunks are laid out in the collection. Each chunk is a point (named dense vector
/// <see cref="Dense"/> when embeddings exist, sparse BM25 vector <see cref="Sparse"/>) whose payload carries the
/// citation fields; each document has one marker point without vectors (<c>kind = "document"</c>) holding its hash,
/// written last so that a changed hash means the new chunks are in.
/// </summary>
internal static class QdrantPoints
{
    public const string Dense = "dense";
    public const string Sparse = "bm25";

    public static string MarkerId(string documentId) => ChunkIds.Uuid(documentId + "#document").ToString("D");

    public static JsonObject Chunk(KnowledgeChunk chunk, DocumentInfo document, (uint[] Indices, float[] Values) sparse)
    {
        var vector = new JsonObject
        {
            [Sparse] = new JsonObject { ["indices"] = Array(sparse.Indices.Select(i => (JsonNode)i)), ["values"] = Array(sparse.Values.Select(v => (JsonNode)v)) },
        };
        if (chunk.Vector is { } dense) vector[Dense] = Array(dense.Select(v => (JsonNode)v));
        return new JsonObject
        {
            ["id"] = ChunkIds.Uuid(chunk.Id).ToString("D"),
            ["vector"] = vector,
            ["payload"] = new JsonObject
            {
                ["kind"] = "chunk",
                ["document_id"] = chunk.DocumentId,
                ["source"] = chunk.Source,
                ["source_prefixes"] = Array(SearchFilter.SourcePrefixes(chunk.Source).Select(s => (JsonNode)s)),
                ["title"] = chunk.Title,
                ["heading_path"] = Array(chunk.HeadingPath.Select(h => (JsonNode)h)),
                ["position"] = chunk.Position,
                ["text"] = chunk.Text,
                ["tags"] = Array(chunk.Tags.Select(t => (JsonNode)t)),
                ["updated_at"] = chunk.UpdatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                ["text_start"] = chunk.TextStart,
                ["start"] = chunk.Start,
                ["end"] = chunk.End,
                ["document_hash"] = document.Hash,
            },
        };
    }

    public static JsonObject Marker(DocumentInfo document) => new()
    {
        ["id"] = MarkerId(document.Id),
        ["vector"] = new JsonObject(),
        ["payload"] = new JsonObject
        {
            ["kind"] = "document",
            ["document_id"] = document.Id,
            ["source"] = document.Source,
            ["source_prefixes"] = Array(SearchFilter.SourcePrefixes(document.Source).Select(s => (JsonNode)s)),
            ["title"] = document.Title,
            ["hash"] = document.Hash,
            ["chunk_count"] = document.ChunkCount,
            ["tags"] = Array(document.Tags.Select(t => (JsonNode)t)),
            ["updated_at"] = document.UpdatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        },
    };

    public static DocumentInfo ReadDocument(JsonObject payload) => new(
        payload["document_id"]!.GetValue<string>(), payload["source"]!.GetValue<string>(), payload["title"]!.GetValue<string>(),
        payload["hash"]!.GetValue<string>(), payload["chunk_count"]!.GetValue<int>(), Time(payload["updated_at"]))
    {
        Tags = Strings(payload["tags"]),
    };

    public static KnowledgeChunk ReadChunk(JsonObject payload) => new()
    {
        DocumentId = payload["document_id"]!.GetValue<string>(),
        Source = payload["source"]!.GetValue<string>(),
        Title = payload["title"]!.GetValue<string>(),
        HeadingPath = Strings(payload["heading_path"]),
        Position = payload["position"]!.GetValue<int>(),
        Text = payload["text"]!.GetValue<string>(),
        Tags = Strings(payload["tags"]),
        UpdatedAt = Time(payload["updated_at"]),
        TextStart = payload["text_start"]?.GetValue<int>() ?? 0,
        Start = payload["start"]?.GetValue<int>() ?? 0,
        End = payload["end"]?.GetValue<int>() ?? 0,
    };

    /// <summary>A filter whose conditions must all hold (null when there are none).</summary>
    public static JsonObject? Must(params JsonObject?[] conditions)
    {
        var list = conditions.Where(c => c is not null).Select(c => (JsonNode)c!).ToArray();
        return list.Length == 0 ? null : new JsonObject { ["must"] = new JsonArray(list) };
    }

    public static JsonObject Match(string key, JsonNode value) => new() { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } };

    public static JsonObject? Conditions(SearchFilter filter, out JsonObject? source)
    {
        source = string.IsNullOrEmpty(filter.Source) ? null : Match("source_prefixes", filter.Source.TrimEnd('/'));
        return filter.Tags.Count == 0 ? null
            : new JsonObject { ["key"] = "tags", ["match"] = new JsonObject { ["any"] = Array(filter.Tags.Distinct().Select(t => (JsonNode)t)) } };
    }

    private static JsonArray Array(IEnumerable<JsonNode> items) => new(items.ToArray());

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(a => a!.GetValue<string>()).ToList() : [];

    private static DateTimeOffset Time(JsonNode? node) =>
        node is null ? default : DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
