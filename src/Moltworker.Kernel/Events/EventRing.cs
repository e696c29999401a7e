using System.Buffers;
using System.Text.Json;

namespace Moltworker.Kernel.Events;

/// <summary>
/// The hub's recent events, by position, for its live subscribers, holding no reference to the events themselves: each
/// event is encoded once into one large byte arena (its SSE frame, the JSON inside it) and a slot of plain fields says
/// where. With 1,000 streams each event stays readable for a stream's pacing gap (0.1–0.3 s); while a ring of event
/// objects held them, every gen0 collection in that time copied each one out of gen0 (about 0.9 KB an event: the
/// record, its frames, its strings), and the collections took 2 to 5 times as long as with no streams. The arena lives in
/// the large-object heap and is never copied. It is made when the first event is delivered, so a host without streams
/// never has one.
/// <para>One writer (the hub's fan-out loop). A position is gone once its slot was reused (<see cref="Slots"/> events
/// later) or its bytes were overwritten (<see cref="ArenaBytes"/> later): the writer moves <c>_oldest</c> past it
/// (a full fence) before it writes. A reader takes a position's slot, copies the bytes, then asks
/// <see cref="IsIntact"/>: false means what it copied may be torn, and the subscriber fell a whole ring behind.</para>
/// </summary>
internal sealed class EventRing
{
    /// <summary>How many recent events the ring keeps (a power of two).</summary>
    public const int Slots = 8192;

    /// <summary>The arena's size: 8,192 events of 512 bytes.</summary>
    public const int ArenaBytes = 4 << 20;

    /// <summary>A frame larger than this keeps its own arrays (rare: large tool results).</summary>
    public const int LargeFrame = ArenaBytes / 16;

    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private Utf8JsonWriter? _writer;
    private Slot[]? _slots;   // made with the arena, at the first event (390 KB: not on a host without streams)
    private byte[]? _arena;
    private long _head;     // the next position
    private long _oldest;   // positions below this are gone
    private long _bytes;    // the next byte position in the arena (grows without end; the arena index is its remainder)

    /// <summary>Where one event's frame is. No references but the name (a constant) and, for a large frame, its arrays.</summary>
    private struct Slot
    {
        public long Id;
        public long Start;   // the frame's byte position; for a large frame, the arena's position when it was added
        public int Length;
        public int JsonOffset;
        public int JsonLength;
        public string Name;
        public EventFrames? Large;
    }

    /// <summary>Encodes <paramref name="e"/> into the ring; returns its position.</summary>
    public long Add(StoredEvent e)
    {
        var position = _head;
        _json.ResetWrittenCount();
        if (_writer is null) _writer = new Utf8JsonWriter(_json);
        else _writer.Reset(_json);
        EventFrames.WriteJson(_writer, e);
        var json = _json.WrittenSpan;
        var length = EventFrames.SseLength(e, json.Length);

        var slots = _slots ??= new Slot[Slots];
        var slot = new Slot { Id = e.Id, Name = e.Name, Length = length, JsonLength = json.Length };
        var oldest = Math.Max(_oldest, position + 1 - Slots);   // the slot about to be reused
        if (length > LargeFrame)
        {
            slot.Large = EventFrames.Of(e, json);   // from the JSON just written
            slot.Start = _bytes;
            Interlocked.Exchange(ref _oldest, oldest);
        }
        else
        {
            _arena ??= GC.AllocateUninitializedArray<byte>(ArenaBytes);
            var start = _bytes;
            var at = (int)(start % ArenaBytes);
            if (at + length > ArenaBytes)
            {
                start += ArenaBytes - at;   // a frame does not wrap: it starts again at the arena's beginning
                at = 0;
            }
            var end = start + length;
            // The bytes about to be written are those of frames that started before end - ArenaBytes: they are gone.
            while (oldest < position && slots[oldest % Slots].Start < end - ArenaBytes) oldest++;
            Interlocked.Exchange(ref _oldest, oldest);   // before the bytes change: a reader checking after its copy sees it
            slot.Start = start;
            slot.JsonOffset = EventFrames.WriteSse(e, json, _arena.AsSpan(at, length));
            _bytes = end;
        }
        slots[position % Slots] = slot;
        Volatile.Write(ref _head, position + 1);
        return position;
    }

    /// <summary>The event at <paramref name="position"/>; false when it is gone. Its bytes may be overwritten after this
    /// returns: copy them, then check <see cref="IsIntact"/>.</summary>
    public bool TryGet(long position, out LiveEvent e)
    {
        if (position < Volatile.Read(ref _oldest) || position >= Volatile.Read(ref _head))
        {
            e = default;
            return false;
        }
        var slot = _slots![position % Slots];   // may be torn if the writer reused it meanwhile: checked below
        if (!IsIntact(position))
        {
            e = default;
            return false;
        }
        if (slot.Large is { } large)
        {
            e = new LiveEvent(position, slot.Id, slot.Name, large.Sse, large.Json);
            return true;
        }
        var sse = Volatile.Read(ref _arena).AsMemory((int)(slot.Start % ArenaBytes), slot.Length);
        e = new LiveEvent(position, slot.Id, slot.Name, sse, sse.Slice(slot.JsonOffset, slot.JsonLength));
        return true;
    }

    /// <summary>Whether <paramref name="position"/>'s slot and bytes are still its own: true means everything read from
    /// them before this call is whole.</summary>
    public bool IsIntact(long position)
    {
        Interlocked.MemoryBarrier();   // the caller's reads of the slot or the bytes happen before this look
        return position >= Volatile.Read(ref _oldest);
    }
}
