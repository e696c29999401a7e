using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Events;

/// <summary>
/// Turns kernel events (<see cref="IEventBus"/>) into stored events: gives each its wire form (<see cref="EventWire"/>),
/// the next global id (continuing after the highest stored one), the next sequence of its task and the task's agent,
/// then queues it for the log (<see cref="EventWriter"/>) and for live subscribers (<see cref="EventHub"/>, whose fan-out
/// runs off this thread), both under one lock so ids reach subscribers in order; neither costs more with more subscribers. Nothing here waits for I/O on the publishing thread, except once
/// for a task first seen in this process after it started elsewhere (a resumed task): its last sequence is read from
/// the log so the task's sequence continues. With a log shared by several hosts (<see cref="ISharedEventSource"/>) the
/// log numbers events as they commit, and the hub gets them from <see cref="SharedEventRelay"/> instead, with those ids.
/// </summary>
public sealed class EventRecorder(IEventBus bus, IEventLog log, EventWriter writer, EventHub hub, IOptions<EventsOptions> options,
    ISharedEventSource? shared = null) : IHostedService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCursor> _tasks = new(StringComparer.Ordinal);
    private readonly bool _store = options.Value.Store;
    private readonly bool _publish = shared is null || !options.Value.Store;
    private long _lastId;
    private IDisposable? _subscription;

    public EventHub Hub => hub;

    /// <summary>The id of the last event recorded.</summary>
    public long LastId { get { lock (_gate) return _lastId; } }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var last = await log.LastIdAsync(cancellationToken);
        lock (_gate) _lastId = Math.Max(_lastId, last);
        _subscription = bus.Subscribe(Record);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        // Best effort within the stop: when the host's shutdown timeout runs out first, the writer's DisposeAsync
        // writes out what is still queued; a failed stop must not be reported for the event log.
        try { await writer.FlushAsync(cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
    }

    /// <summary>Stores every event recorded so far (a stream's replay reads the log after this).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);

    private void Record(KernelEvent e)
    {
        if (EventWire.Describe(e) is not { } wire) return;
        long? resumedFrom = null;
        bool known;
        lock (_gate) known = _tasks.ContainsKey(e.TaskId);
        if (!known && e is not TaskStarted and not OutgoingChatMessage && _store) resumedFrom = log.LastSequenceAsync(e.TaskId, CancellationToken.None).GetAwaiter().GetResult();
        lock (_gate)
        {
            if (!_tasks.TryGetValue(e.TaskId, out var cursor))
                _tasks[e.TaskId] = cursor = new TaskCursor { Seq = resumedFrom ?? 0 };
            if (e is TaskStarted started) cursor.Agent = started.Agent;
            var stored = new StoredEvent
            {
                Id = ++_lastId,
                Seq = ++cursor.Seq,
                Name = wire.Name,
                At = e.At,
                TaskId = e.TaskId,
                ThreadId = e.FromThreadId ?? e.TaskId,
                Agent = e.FromAgent ?? cursor.Agent,
                Channel = e.Address.Channel,
                ChatId = e.Address.ChatId,
                BatchId = wire.BatchId,
                CallId = wire.CallId,
                Data = wire.Data,
            };
            // Queued before it is published: a stream that subscribes after this event finds it in the log once it flushed.
            if (_store) writer.TryQueue(stored);
            if (_publish) hub.Publish(stored);
            if (e is TaskCompleted or TaskFailed or OutgoingChatMessage) _tasks.Remove(e.TaskId);   // a chat message is its own one event
        }
    }

    private sealed class TaskCursor
    {
        public long Seq;
        public string? Agent;
    }
}
