using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Moltworker.Kernel.Events;

/// <summary>
/// One event's encodings as UTF-8 bytes, made once per event (<see cref="StoredEvent.Frames"/>) and shared by every
/// stream that sends it, so a thousand subscribers cost one serialization, not a thousand. Read-only.
/// </summary>
public sealed class EventFrames
{
    private static readonly byte[] SocketPrefix = "{\"type\":\"event\",\"event\":"u8.ToArray();

    private byte[]? _socket;

    private EventFrames(ReadOnlyMemory<byte> json, ReadOnlyMemory<byte> sse)
    {
        Json = json;
        Sse = sse;
    }

    /// <summary>The whole event as one JSON object (what <c>/api/tasks/{id}/events</c> lists).</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>The event as one Server-Sent Events frame: <c>id: …</c>, <c>event: …</c>, <c>data: {json}</c> and the
    /// blank line that ends it.</summary>
    public ReadOnlyMemory<byte> Sse { get; }

    /// <summary>The event as one <c>/api/ws</c> text message: <c>{"type":"event","event":{json}}</c>. Made the first time
    /// a socket asks for it, so a host with only SSE streams keeps one copy of each event's bytes while streams hold it.</summary>
    public ReadOnlyMemory<byte> Socket => Volatile.Read(ref _socket) ?? LazyInitializer.EnsureInitialized(ref _socket, () =>
    {
        var json = Json.Span;
        var socket = new byte[SocketPrefix.Length + json.Length + 1];
        SocketPrefix.CopyTo(socket, 0);
        json.CopyTo(socket.AsSpan(SocketPrefix.Length));
        socket[^1] = (byte)'}';
        return socket;
    });

    internal static EventFrames Encode(StoredEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + e.Data.Length);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("id", e.Id);
            w.WriteNumber("seq", e.Seq);
            w.WriteString("event", e.Name);
            w.WriteString("at", e.At);
            w.WriteString("task_id", e.TaskId);
            w.WriteString("thread_id", e.ThreadId);
            if (e.Agent is not null) w.WriteString("agent", e.Agent);
            w.WriteString("channel", e.Channel);
            w.WriteString("chat_id", e.ChatId);
            if (e.BatchId is not null) w.WriteString("batch_id", e.BatchId);
            if (e.CallId is not null) w.WriteString("call_id", e.CallId);
            w.WritePropertyName("data");
            w.WriteRawValue(e.Data, skipInputValidation: true);
            w.WriteEndObject();
        }
        var json = buffer.WrittenSpan;

        // Utf8JsonWriter escapes control characters, so the JSON is one line: one data: line is the whole event.
        var head = Encoding.UTF8.GetBytes($"id: {e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}\nevent: {e.Name}\ndata: ");
        var sse = new byte[head.Length + json.Length + 2];
        head.CopyTo(sse, 0);
        json.CopyTo(sse.AsSpan(head.Length));
        sse[^2] = (byte)'\n';
        sse[^1] = (byte)'\n';

        return new EventFrames(sse.AsMemory(head.Length, json.Length), sse);   // the JSON alone is a slice of the frame
    }
}
