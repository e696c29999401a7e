using System.Text.Json;
using System.Text.RegularExpressions;

namespace Moltworker.Testing.Qdrant;

/// <summary>One operation of the document.</summary>
public sealed record QdrantOperation(string Method, string Template, Regex Pattern, JsonElement Definition)
{
    public string Id => Definition.GetProperty("operationId").GetString()!;

    public JsonElement? RequestSchema =>
        Definition.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var json)
            ? json.GetProperty("schema") : null;

    public JsonElement? ResponseSchema(int status) =>
        Definition.GetProperty("responses").TryGetProperty(status.ToString(), out var response) &&
        response.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json)
            ? json.GetProperty("schema") : null;

    public IEnumerable<JsonElement> QueryParameters =>
        Definition.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query") : [];
}
