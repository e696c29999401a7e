using System.Diagnostics.CodeAnalysis;

namespace Moltworker.Kernel.Events;

/// <summary>
/// One event as it is stored and streamed. <see cref="Id"/> grows across all tasks (the SSE event id a client resumes
/// from); <see cref="Seq"/> counts the task's own events from 1. <see cref="Data"/> is the event's own fields as a JSON
/// object (snake_case), see <see cref="EventWire"/>. The thread id is the task id until delegation gives tasks child threads.
/// </summary>
public sealed record StoredEvent
{
    private EventFrames? _frames;
    private bool _encoded;
    private object? _encoding;
    private string? _json;

    public StoredEvent() { }

    /// <summary>A copy for <c>with</c>: the fields, not the encodings of the original (they would show its values).</summary>
    [SetsRequiredMembers]
    private StoredEvent(StoredEvent original)
    {
        Id = original.Id;
        Seq = original.Seq;
        Name = original.Name;
        At = original.At;
        TaskId = original.TaskId;
        ThreadId = original.ThreadId;
        Agent = original.Agent;
        Channel = original.Channel;
        ChatId = original.ChatId;
        BatchId = original.BatchId;
        CallId = original.CallId;
        Data = original.Data;
    }

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

    /// <summary>The event encoded for the wire (JSON, SSE frame, WebSocket message), made exactly once, on first use,
    /// however many subscribers on however many threads send it.</summary>
    public EventFrames Frames => Volatile.Read(ref _frames) ?? EncodeOnce();   // read by every stream: no closure per read

    private EventFrames EncodeOnce() => LazyInitializer.EnsureInitialized(ref _frames, ref _encoded, ref _encoding, () => EventFrames.Encode(this))!;

    /// <summary>Equal when every field is (the encodings made so far do not count).</summary>
    public bool Equals(StoredEvent? other) =>
        other is not null && Id == other.Id && Seq == other.Seq && Name == other.Name && At == other.At && TaskId == other.TaskId &&
        ThreadId == other.ThreadId && Agent == other.Agent && Channel == other.Channel && ChatId == other.ChatId && BatchId == other.BatchId &&
        CallId == other.CallId && Data == other.Data;

    public override int GetHashCode() => HashCode.Combine(Id, Seq, Name, TaskId, Data);

    /// <summary>The whole event as one JSON object, as SSE, the WebSocket and <c>/api/tasks/{id}/events</c> send it.</summary>
    public string ToJson() => _json ??= System.Text.Encoding.UTF8.GetString(Frames.Json.Span);
}
