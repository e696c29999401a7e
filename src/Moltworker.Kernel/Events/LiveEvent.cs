namespace Moltworker.Kernel.Events;

/// <summary>
/// One event as a stream sends it: its id and name, its SSE frame and its JSON. A live event's bytes are in the hub's
/// <see cref="EventRing"/>, shared by every stream and overwritten once the ring has moved on: a stream that copied them
/// checks <see cref="EventFeed.Intact(in LiveEvent)"/> before it sends the copy. A replayed event's bytes are its own
/// (<see cref="Of"/>) and stay intact.
/// </summary>
public readonly struct LiveEvent
{
    internal LiveEvent(long position, long id, string name, ReadOnlyMemory<byte> sse, ReadOnlyMemory<byte> json)
    {
        Position = position;
        Id = id;
        Name = name;
        Sse = sse;
        Json = json;
    }

    public long Id { get; }

    public string Name { get; }

    /// <summary>The Server-Sent Events frame: <c>id: …</c>, <c>event: …</c>, <c>data: {json}</c> and the blank line.</summary>
    public ReadOnlyMemory<byte> Sse { get; }

    /// <summary>The whole event as one JSON object (a slice of <see cref="Sse"/>).</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>The position in the hub's ring; -1 for an event that is not in it.</summary>
    internal long Position { get; }

    /// <summary>An event the ring has moved past: no bytes, and never intact.</summary>
    internal static LiveEvent Gone(long position) => new(position, 0, "", ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty);

    /// <summary>A stored event (replayed from the log), with its own encodings.</summary>
    public static LiveEvent Of(StoredEvent e) => new(-1, e.Id, e.Name, e.Frames.Sse, e.Frames.Json);
}
