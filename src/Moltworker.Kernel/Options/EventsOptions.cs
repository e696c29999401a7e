namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Events</c>: the durable event log and the live streams (<c>/api/events</c>, <c>/api/ws</c>).</summary>
public sealed class EventsOptions
{
    public const string Section = "Moltworker:Events";

    /// <summary>Store every event in the database (per task, kept as long as its task). Off: events are only streamed live.</summary>
    public bool Store { get; set; } = true;

    /// <summary>Events waiting to be stored; when the writer falls this far behind, further events are not stored
    /// (counted in /healthz and logged) rather than slowing the turn.</summary>
    public int WriteQueue { get; set; } = 10_000;

    /// <summary>Events are stored together this long after the first of them (one transaction for many, off the turn's
    /// path); a crash loses at most this much of the log. 0 stores each event at once.</summary>
    public TimeSpan WriteDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Events queued per stream subscriber; a subscriber that falls this far behind (or 8,192 events of all
    /// traffic behind, the hub's ring) is disconnected (SSE: the response ends; WebSocket: close code 4000) and may
    /// reconnect with its last event id.</summary>
    public int SubscriberBuffer { get; set; } = 1_024;

    /// <summary>About how many socket writes a second all live streams together may make: with N subscribers each stream
    /// writes about every N / this seconds (each gap drawn from half to one and a half times that), sending everything
    /// buffered meanwhile at once, so many subscribers cannot take the turns' CPU. With a few subscribers the gap is
    /// under a millisecond and events go out at once. 0: no limit.</summary>
    public int StreamWriteRate { get; set; } = 5_000;

    /// <summary>How often an idle SSE stream sends a comment and the WebSocket a ping.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A WebSocket peer that does not answer a ping within this time is dropped.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
