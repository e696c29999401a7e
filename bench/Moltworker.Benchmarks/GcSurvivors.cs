using System.Diagnostics.Tracing;

namespace Moltworker.Benchmarks;

/// <summary>
/// What survived the GC's collections in this process, from the runtime's own events: the bytes promoted out of gen0
/// (<c>GCHeapStats</c>) and, of the bytes the collections marked, those reached from objects in older generations
/// (<c>GCMarkWithType</c>, root kind "older": found through the card table). A young object that an old one points
/// to survives its first collection and is copied; a collection that copies more takes longer. One listener per
/// process (the runtime's event source is enabled once); <see cref="Now"/> and <see cref="Since"/> bracket a phase.
/// </summary>
public sealed class GcSurvivors : EventListener
{
    private const int OlderGenerationRoot = 3;
    private static readonly Lazy<GcSurvivors> Listener = new(() => new GcSurvivors());
    private const int StackRoot = 0, HandleRoot = 2;
    private long _promotedFromGen0, _markedFromOlder, _markedFromStacks, _markedFromHandles, _suspendTicks;
    private DateTime _suspendBegan, _lastMark;
    private readonly long[] _phaseTicks = new long[PhaseNames.Length];

    /// <summary>Where the collections' time went, from the timestamps of the runtime's own events: from
    /// <c>GCStart</c> to each <c>GCMarkWithType</c> (the GC fires one as it finishes marking from each kind of root, in
    /// the order stacks, finalization queue, handles, older generations (the card table), ...), and from the last of
    /// them to <c>GCEnd</c> (planning, relocating, compacting).</summary>
    public static readonly string[] PhaseNames = ["stacks", "finalization", "handles", "older generations", "other roots", "plan, relocate, compact"];

    /// <summary>Sums since the listener started: bytes promoted out of gen0; bytes marked from older generations, from
    /// thread stacks and from GC handles; and the time spent suspending the runtime's threads for collections
    /// (<c>GCSuspendEEBegin</c> to <c>GCSuspendEEEnd</c>), part of each pause.</summary>
    public readonly record struct Totals(long PromotedFromGen0, long MarkedFromOlder, long MarkedFromStacks, long MarkedFromHandles, TimeSpan Suspending,
        long[] PhaseTicks)
    {
        /// <summary>The collections' time marking through older generations (scanning the card table).</summary>
        public TimeSpan OlderGenerations => TimeSpan.FromTicks(PhaseTicks[OlderGenerationRoot]);

        /// <summary>The collections' time by phase (<see cref="PhaseNames"/>), as "stacks 12 ms, ...".</summary>
        public string Phases
        {
            get
            {
                var ticks = PhaseTicks;
                return string.Join(", ", PhaseNames.Select((n, i) => $"{n} {TimeSpan.FromTicks(ticks[i]).TotalMilliseconds:F0} ms"));
            }
        }
    }

    public static Totals Now()
    {
        var l = Listener.Value;
        long[] phases;
        lock (l._phaseTicks) phases = (long[])l._phaseTicks.Clone();
        return new Totals(Interlocked.Read(ref l._promotedFromGen0), Interlocked.Read(ref l._markedFromOlder), Interlocked.Read(ref l._markedFromStacks),
            Interlocked.Read(ref l._markedFromHandles), TimeSpan.FromTicks(Interlocked.Read(ref l._suspendTicks)), phases);
    }

    public static Totals Since(Totals start)
    {
        var now = Now();
        return new Totals(now.PromotedFromGen0 - start.PromotedFromGen0, now.MarkedFromOlder - start.MarkedFromOlder,
            now.MarkedFromStacks - start.MarkedFromStacks, now.MarkedFromHandles - start.MarkedFromHandles, now.Suspending - start.Suspending,
            now.PhaseTicks.Zip(start.PhaseTicks, (a, b) => a - b).ToArray());
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.Payload is not { } payload) return;
        if (e.EventName == "GCMarkWithType" && payload.Count >= 4)
        {
            var kind = Convert.ToInt32(payload[2]);
            if (_lastMark != default)
                lock (_phaseTicks) _phaseTicks[Math.Min(kind, 4)] += (e.TimeStamp - _lastMark).Ticks;
            _lastMark = e.TimeStamp;
            switch (kind)
            {
                case OlderGenerationRoot: Interlocked.Add(ref _markedFromOlder, Convert.ToInt64(payload[3])); break;
                case StackRoot: Interlocked.Add(ref _markedFromStacks, Convert.ToInt64(payload[3])); break;
                case HandleRoot: Interlocked.Add(ref _markedFromHandles, Convert.ToInt64(payload[3])); break;
            }
        }
        else if (e.EventName?.StartsWith("GCStart", StringComparison.Ordinal) == true) _lastMark = e.TimeStamp;
        else if (e.EventName?.StartsWith("GCEnd", StringComparison.Ordinal) == true && _lastMark != default)
        {
            lock (_phaseTicks) _phaseTicks[^1] += (e.TimeStamp - _lastMark).Ticks;
            _lastMark = default;
        }
        else if (e.EventName?.StartsWith("GCSuspendEEBegin", StringComparison.Ordinal) == true) _suspendBegan = e.TimeStamp;
        else if (e.EventName?.StartsWith("GCSuspendEEEnd", StringComparison.Ordinal) == true && _suspendBegan != default)
            Interlocked.Add(ref _suspendTicks, (e.TimeStamp - _suspendBegan).Ticks);
        else if (e.EventName?.StartsWith("GCHeapStats", StringComparison.Ordinal) == true && payload.Count >= 2)
            Interlocked.Add(ref _promotedFromGen0, Convert.ToInt64(payload[1]));
    }
}
