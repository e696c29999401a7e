using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Moltworker.Kernel.Events;

/// <summary>
/// One stored event's encodings as UTF-8 bytes, made once per event (<see cref="StoredEvent.Frames"/>): what a stream
/// replays from the log and what <c>/api/tasks/{id}/events</c> lists. Live events are encoded the same way, once, into
/// the hub's <see cref="EventRing"/> instead. Read-only.
/// </summary>
public sealed class EventFrames
{
    private static ReadOnlySpan<byte> IdPrefix => "id: "u8;
    private static ReadOnlySpan<byte> NamePrefix => "\nevent: "u8;
    private static ReadOnlySpan<byte> DataPrefix => "\ndata: "u8;

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

    internal static EventFrames Encode(StoredEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + e.Data.Length);
        using (var w = new Utf8JsonWriter(buffer)) WriteJson(w, e);
        return Of(e, buffer.WrittenSpan);
    }

    /// <summary>The frames of <paramref name="e"/> whose JSON (<see cref="WriteJson"/>) is <paramref name="json"/>.</summary>
    internal static EventFrames Of(StoredEvent e, ReadOnlySpan<byte> json)
    {
        var sse = new byte[SseLength(e, json.Length)];
        var jsonAt = WriteSse(e, json, sse);
        return new EventFrames(sse.AsMemory(jsonAt, json.Length), sse);   // the JSON alone is a slice of the frame
    }

    /// <summary>The event as one JSON object (Utf8JsonWriter escapes control characters, so it is one line).</summary>
    internal static void WriteJson(Utf8JsonWriter w, StoredEvent e)
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
        w.Flush();
    }

    /// <summary>The length of the SSE frame of <paramref name="e"/> whose JSON is <paramref name="jsonLength"/> bytes.</summary>
    internal static int SseLength(StoredEvent e, int jsonLength) =>
        IdPrefix.Length + DigitCount(e.Id) + NamePrefix.Length + Encoding.UTF8.GetByteCount(e.Name) + DataPrefix.Length + jsonLength + 2;

    /// <summary>Writes the SSE frame (<c>id: …</c>, <c>event: …</c>, <c>data: {json}</c>, blank line) into
    /// <paramref name="frame"/>, exactly <see cref="SseLength"/> bytes; returns where the JSON starts in it.</summary>
    internal static int WriteSse(StoredEvent e, ReadOnlySpan<byte> json, Span<byte> frame)
    {
        var at = 0;
        IdPrefix.CopyTo(frame);
        at += IdPrefix.Length;
        e.Id.TryFormat(frame[at..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        at += digits;
        NamePrefix.CopyTo(frame[at..]);
        at += NamePrefix.Length;
        at += Encoding.UTF8.GetBytes(e.Name, frame[at..]);
        DataPrefix.CopyTo(frame[at..]);
        at += DataPrefix.Length;
        json.CopyTo(frame[at..]);
        frame[at + json.Length] = (byte)'\n';
        frame[at + json.Length + 1] = (byte)'\n';
        return at;
    }

    private static int DigitCount(long id)
    {
        if (id < 0) return id.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var digits = 1;
        for (var rest = id; rest >= 10; rest /= 10) digits++;
        return digits;
    }
}
