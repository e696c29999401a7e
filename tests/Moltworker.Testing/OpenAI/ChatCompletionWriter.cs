using System.Buffers;
using System.Text.Json;

namespace Moltworker.Testing.OpenAI;

/// <summary>Writes scripted replies in the OpenAI chat completions wire format: one JSON object, or SSE chunks.</summary>
internal static class ChatCompletionWriter
{
    public static byte[] Completion(ScriptedReply reply, string id, string model, long created, int promptTokens, int completionTokens, IReadOnlyList<string> callIds)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Header(w, id, "chat.completion", created, model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            if (reply.Text is null) w.WriteNull("content"); else w.WriteString("content", reply.Text);
            w.WriteNull("refusal");
            if (reply.ToolCalls.Count > 0)
            {
                w.WriteStartArray("tool_calls");
                for (var i = 0; i < reply.ToolCalls.Count; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("id", callIds[i]);
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", reply.ToolCalls[i].Name);
                    w.WriteString("arguments", reply.ToolCalls[i].Arguments);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", FinishReason(reply));
            w.WriteEndObject();
            w.WriteEndArray();
            Usage(w, promptTokens, completionTokens);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The SSE <c>data:</c> payloads of a streamed reply, without the final <c>[DONE]</c>.</summary>
    public static IEnumerable<byte[]> Chunks(ScriptedReply reply, string id, string model, long created, int promptTokens, int completionTokens,
        IReadOnlyList<string> callIds, bool includeUsage)
    {
        var size = Math.Max(1, reply.ChunkSize);
        yield return Chunk(id, model, created, w => { w.WriteString("role", "assistant"); w.WriteString("content", ""); }, null);
        var text = reply.Text ?? "";
        for (var i = 0; i < text.Length; i += size)
        {
            var piece = text.Substring(i, Math.Min(size, text.Length - i));
            yield return Chunk(id, model, created, w => w.WriteString("content", piece), null);
        }
        for (var c = 0; c < reply.ToolCalls.Count; c++)
        {
            var call = reply.ToolCalls[c];
            var index = reply.SameIndexForAllCalls ? 0 : c;
            var callId = callIds[c];
            yield return Chunk(id, model, created, w => ToolDelta(w, index, callId, call.Name, ""), null);
            for (var i = 0; i < call.Arguments.Length; i += size)
            {
                var piece = call.Arguments.Substring(i, Math.Min(size, call.Arguments.Length - i));
                yield return Chunk(id, model, created, w => ToolDelta(w, index, null, null, piece), null);
            }
        }
        yield return Chunk(id, model, created, _ => { }, FinishReason(reply));
        if (includeUsage)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                Header(w, id, "chat.completion.chunk", created, model);
                w.WriteStartArray("choices");
                w.WriteEndArray();
                Usage(w, promptTokens, completionTokens);
                w.WriteEndObject();
            }
            yield return buffer.WrittenSpan.ToArray();
        }
    }

    private static byte[] Chunk(string id, string model, long created, Action<Utf8JsonWriter> delta, string? finishReason)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Header(w, id, "chat.completion.chunk", created, model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("delta");
            delta(w);
            w.WriteEndObject();
            w.WriteNull("logprobs");
            if (finishReason is null) w.WriteNull("finish_reason"); else w.WriteString("finish_reason", finishReason);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void ToolDelta(Utf8JsonWriter w, int index, string? id, string? name, string arguments)
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        if (id is not null) { w.WriteString("id", id); w.WriteString("type", "function"); }
        w.WriteStartObject("function");
        if (name is not null) w.WriteString("name", name);
        w.WriteString("arguments", arguments);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void Header(Utf8JsonWriter w, string id, string type, long created, string model)
    {
        w.WriteString("id", id);
        w.WriteString("object", type);
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteString("system_fingerprint", "fp_fake");
    }

    private static void Usage(Utf8JsonWriter w, int prompt, int completion)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", prompt);
        w.WriteNumber("completion_tokens", completion);
        w.WriteNumber("total_tokens", prompt + completion);
        w.WriteEndObject();
    }

    private static string FinishReason(ScriptedReply reply) => reply.FinishReason ?? (reply.ToolCalls.Count > 0 ? "tool_calls" : "stop");
}
