using System.Buffers;
using System.Text.Json;

namespace Moltworker.Kernel.Events;

/// <summary>
/// One event as it is stored and streamed. <see cref="Id"/> grows across all tasks (the SSE event id a client resumes
/// from); <see cref="Seq"/> counts the task's own events from 1. <see cref="Data"/> is the event's own fields as a JSON
/// object (snake_case), see <see cref="EventWire"/>. The thread id is the task id until delegation gives tasks child threads.
/// </summary>
public sealed record StoredEvent
{
    private string? _json;

    public required long Id { get; init; }
    public required long Seq { get; init; }
    public required string Name { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string TaskId { get; init; }
    public required string ThreadId { get; init; }
    public string? Agent { get; init; }
    public required string Channel { get; init; }
    public required string ChatId { get; init; }
    public string? BatchId { get; init; }
    public string? CallId { get; init; }

    /// <summary>The event's fields as a JSON object, e.g. <c>{"status":"ok","latency_ms":12.5}</c>.</summary>
    public required string Data { get; init; }

    /// <summary>The whole event as one JSON object, as SSE, the WebSocket and <c>/api/tasks/{id}/events</c> send it
    /// (made once, on first use, however many subscribers send it).</summary>
    public string ToJson() => _json ??= Serialize();

    private string Serialize()
    {
        var buffer = new ArrayBufferWriter<byte>(256 + Data.Length);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("id", Id);
            w.WriteNumber("seq", Seq);
            w.WriteString("event", Name);
            w.WriteString("at", At);
            w.WriteString("task_id", TaskId);
            w.WriteString("thread_id", ThreadId);
            if (Agent is not null) w.WriteString("agent", Agent);
            w.WriteString("channel", Channel);
            w.WriteString("chat_id", ChatId);
            if (BatchId is not null) w.WriteString("batch_id", BatchId);
            if (CallId is not null) w.WriteString("call_id", CallId);
            w.WritePropertyName("data");
            w.WriteRawValue(Data, skipInputValidation: true);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
