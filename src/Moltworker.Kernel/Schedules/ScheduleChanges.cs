namespace Moltworker.Kernel.Schedules;

/// <summary>Tells the scheduler that schedules were added or removed, so it plans its next wake-up again (it sleeps
/// until the next due time rather than polling).</summary>
public sealed class ScheduleChanges
{
    public event Action? Changed;

    public void Notify() => Changed?.Invoke();
}
