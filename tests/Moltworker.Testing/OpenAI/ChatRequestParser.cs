using System.Text;
using System.Text.Json;

namespace Moltworker.Testing.OpenAI;

/// <summary>Reads an OpenAI chat completions request body into a <see cref="ChatRequest"/>.</summary>
internal static class ChatRequestParser
{
    public static ChatRequest Parse(JsonElement body, int index, string path, IReadOnlyDictionary<string, string> headers)
    {
        var messages = new List<RecordedMessage>();
        if (body.TryGetProperty("messages", out var ms) && ms.ValueKind == JsonValueKind.Array)
            foreach (var m in ms.EnumerateArray()) messages.Add(ParseMessage(m));

        var tools = new List<RecordedTool>();
        if (body.TryGetProperty("tools", out var ts) && ts.ValueKind == JsonValueKind.Array)
            foreach (var t in ts.EnumerateArray())
                if (t.TryGetProperty("function", out var f))
                    tools.Add(new RecordedTool(Str(f, "name") ?? "", Str(f, "description"),
                        f.TryGetProperty("parameters", out var p) ? p.GetRawText() : null));

        return new ChatRequest
        {
            Index = index,
            Path = path,
            Model = Str(body, "model"),
            Stream = Bool(body, "stream") ?? false,
            IncludeUsage = body.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object && (Bool(so, "include_usage") ?? false),
            Messages = messages,
            Tools = tools,
            ToolChoice = body.TryGetProperty("tool_choice", out var tc) ? tc.GetRawText() : null,
            ParallelToolCalls = Bool(body, "parallel_tool_calls"),
            ReasoningEffort = Str(body, "reasoning_effort"),
            Temperature = body.TryGetProperty("temperature", out var temp) && temp.ValueKind == JsonValueKind.Number ? temp.GetDouble() : null,
            MaxTokens = Int(body, "max_completion_tokens") ?? Int(body, "max_tokens"),
            Headers = headers,
            Body = body.Clone(),
        };
    }

    private static RecordedMessage ParseMessage(JsonElement m)
    {
        var calls = new List<RecordedToolCall>();
        if (m.TryGetProperty("tool_calls", out var tcs) && tcs.ValueKind == JsonValueKind.Array)
            foreach (var c in tcs.EnumerateArray())
            {
                var f = c.TryGetProperty("function", out var fn) ? fn : default;
                calls.Add(new RecordedToolCall(Str(c, "id") ?? "", f.ValueKind == JsonValueKind.Object ? Str(f, "name") ?? "" : "",
                    f.ValueKind == JsonValueKind.Object ? Str(f, "arguments") ?? "" : ""));
            }
        return new RecordedMessage(Str(m, "role") ?? "", Content(m), Str(m, "tool_call_id"), calls, Str(m, "name")) { ImageUrls = ImageUrls(m) };
    }

    private static List<string> ImageUrls(JsonElement m)
    {
        var urls = new List<string>();
        if (!m.TryGetProperty("content", out var c) || c.ValueKind != JsonValueKind.Array) return urls;
        foreach (var part in c.EnumerateArray())
            if (part.ValueKind == JsonValueKind.Object && Str(part, "type") == "image_url"
                && part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object && Str(image, "url") is { } url)
                urls.Add(url);
        return urls;
    }

    private static string? Content(JsonElement m)
    {
        if (!m.TryGetProperty("content", out var c)) return null;
        switch (c.ValueKind)
        {
            case JsonValueKind.String: return c.GetString();
            case JsonValueKind.Array:
                var sb = new StringBuilder();
                foreach (var part in c.EnumerateArray())
                    if (part.ValueKind == JsonValueKind.Object && Str(part, "text") is { } text) sb.Append(text);
                    else if (part.ValueKind == JsonValueKind.String) sb.Append(part.GetString());
                return sb.ToString();
            default: return null;
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}
