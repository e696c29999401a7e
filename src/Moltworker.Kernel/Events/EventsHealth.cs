using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Events;

/// <summary>/healthz entry "events": the last event id (with a shared log, the last one streamed on this host), live
/// subscribers, subscribers dropped for falling behind, and events not stored (queue full, or refused by the database).
/// Unhealthy while the store refuses events.</summary>
public sealed class EventsHealth(EventRecorder recorder, EventWriter writer, SharedEventRelay? relay = null) : IHealthContributor
{
    public string Name => "events";

    public Task<HealthEntry> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(new HealthEntry(
        writer.Failed == 0,
        new
        {
            lastId = relay is { Active: true } ? relay.LastId : recorder.LastId,
            subscribers = recorder.Hub.SubscriberCount,
            droppedSubscribers = recorder.Hub.DroppedCount,
            notStored = writer.Dropped,
            storeFailures = writer.Failed,
        },
        writer.Failed == 0 ? null : "Some events could not be stored (see the log); turns are not affected."));
}
