using System.Text.Json;
using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Http;

/// <summary>Parses an upstream JSON body; malformed data becomes a readable failure.</summary>
internal static class UpstreamJson
{
    public static JsonDocument Parse(UpstreamResponse response, UpstreamSettings settings)
    {
        Upstream.EnsureComplete(response, settings);
        try
        {
            return JsonDocument.Parse(response.Body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            throw new ToolException($"{settings.Service} returned malformed data (not valid JSON)", transient: true);
        }
    }

    /// <summary>Reads a shape that must be there, or fails with "unexpected data".</summary>
    public static T Shape<T>(Func<T> read, UpstreamSettings settings)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new ToolException($"{settings.Service} returned unexpected data", transient: true);
        }
    }

    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
