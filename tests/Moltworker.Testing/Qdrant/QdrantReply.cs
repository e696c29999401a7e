using System.Text.Json.Nodes;

namespace Moltworker.Testing.Qdrant;

/// <summary>What an operation of the fake answers: a result (status 200) or an error with Qdrant's status code.</summary>
public sealed record QdrantReply(int Status, JsonNode? Result, string? Error = null)
{
    public static QdrantReply Ok(JsonNode? result) => new(200, result);
    public static QdrantReply Fail(int status, string error) => new(status, null, error);
    public static QdrantReply NotFound(string collection) => Fail(404, $"Not found: Collection `{collection}` doesn't exist!");
    public static QdrantReply BadRequest(string error) => Fail(400, $"Wrong input: {error}");
}
