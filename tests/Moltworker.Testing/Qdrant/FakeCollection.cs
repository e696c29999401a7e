using System.Text.Json.Nodes;

namespace Moltworker.Testing.Qdrant;

/// <summary>A collection held by <see cref="QdrantTestServer"/>: its creation request and its points.</summary>
public sealed class FakeCollection(string name, JsonObject config)
{
    public string Name { get; } = name;

    /// <summary>The body of the create-collection request, as sent.</summary>
    public JsonObject Config { get; } = config;

    public SortedDictionary<string, FakePoint> Points { get; } = new(StringComparer.Ordinal);

    /// <summary>Payload indexes: field name → schema.</summary>
    public Dictionary<string, JsonNode?> Indexes { get; } = new(StringComparer.Ordinal);

    /// <summary>Size of a dense vector name ("" for the unnamed vector), or null when the name is not configured.</summary>
    public int? DenseSize(string name)
    {
        var vectors = Config["vectors"];
        if (vectors is not JsonObject obj) return null;
        if (obj.ContainsKey("size")) return name.Length == 0 ? obj["size"]!.GetValue<int>() : null;
        return obj[name] is JsonObject named ? named["size"]!.GetValue<int>() : null;
    }

    public string? Distance(string name)
    {
        var obj = Config["vectors"] as JsonObject;
        if (obj is null) return null;
        return (obj.ContainsKey("size") ? obj["distance"] : obj[name]?["distance"])?.GetValue<string>();
    }

    public bool HasSparse(string name) => Config["sparse_vectors"] is JsonObject sparse && sparse.ContainsKey(name);

    public bool SparseIdf(string name) => Config["sparse_vectors"]?[name]?["modifier"]?.GetValue<string>() == "idf";
}
