using System.Text.Json.Nodes;

namespace Moltworker.Testing.Qdrant;

/// <summary>A point held by <see cref="QdrantTestServer"/>.</summary>
public sealed class FakePoint
{
    public required JsonNode Id { get; init; }
    public required string Key { get; init; }
    public Dictionary<string, float[]> Dense { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, (uint[] Indices, float[] Values)> Sparse { get; } = new(StringComparer.Ordinal);
    public JsonObject Payload { get; set; } = [];
    public long Version { get; set; }

    public static string KeyOf(JsonNode id) => id.GetValueKind() == System.Text.Json.JsonValueKind.Number
        ? "n:" + id.GetValue<ulong>().ToString("D20")
        : "u:" + Guid.Parse(id.GetValue<string>()).ToString("D");
}
