using System.Text.Json.Nodes;

namespace Moltworker.Testing.Discord;

/// <summary>A REST request the in-test Discord received. <see cref="Path"/> is relative to <c>/api/v10/</c>.</summary>
public sealed record RecordedRequest(int Index, string Method, string Path, string Body, string? Authorization)
{
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);

    /// <summary>The message content of a message body (empty when there is none).</summary>
    public string Content => Json is System.Text.Json.Nodes.JsonObject o && o["content"] is { } c ? c.GetValue<string>() : "";

    public bool Is(string method, string pathContains) =>
        string.Equals(Method, method, StringComparison.OrdinalIgnoreCase) && Path.Contains(pathContains, StringComparison.Ordinal);
}
