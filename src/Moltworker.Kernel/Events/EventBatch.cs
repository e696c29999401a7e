using System.Collections;

namespace Moltworker.Kernel.Events;

/// <summary>
/// The events a stream sends together: live ones as their positions in the hub's ring (8 bytes each, read from the ring
/// when asked for), or a page replayed from the log. A stream following everything takes hundreds of events after its
/// pacing gap, and keeps the list's capacity: as <see cref="LiveEvent"/> values (56 bytes each) that was 57 KB per stream.
/// An event the ring has moved past since is handed out empty, and <see cref="EventFeed.Intact(IReadOnlyList{LiveEvent})"/>
/// is then false. Reused by its feed: valid until the feed's next call.
/// </summary>
internal sealed class EventBatch(EventHub hub) : IReadOnlyList<LiveEvent>
{
    private readonly List<long> _positions = [];
    private readonly List<StoredEvent> _replayed = [];

    public int Count => _positions.Count + _replayed.Count;

    public LiveEvent this[int index]
    {
        get
        {
            if (_replayed.Count > 0) return LiveEvent.Of(_replayed[index]);
            var position = _positions[index];
            return hub.TryGet(position, out var e) ? e : LiveEvent.Gone(position);
        }
    }

    public void AddLive(long position) => _positions.Add(position);

    public void AddReplayed(IReadOnlyList<StoredEvent> page) => _replayed.AddRange(page);

    /// <summary>Lets go of the events (a replayed page is the log's objects: not kept past its write).</summary>
    public void Clear()
    {
        _positions.Clear();
        _replayed.Clear();
    }

    public IEnumerator<LiveEvent> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
