using System.Text.Json.Nodes;

namespace Moltworker.Testing.Qdrant;

/// <summary>A request the in-test Qdrant received, with the operation it matched and the status it answered.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? OperationId, JsonNode? Body, int Status)
{
    public IReadOnlyList<string> Violations { get; init; } = [];
}
