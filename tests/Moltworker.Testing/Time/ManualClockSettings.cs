namespace Moltworker.Testing.Time;

/// <summary>Settings for a test host that drives a <see cref="FakeTimeProvider"/>: the host's own background timers
/// (the WAL checkpointer, the transaction log writer) are turned off, so the only timers a test waits for are the
/// ones its code under test arms.</summary>
public static class ManualClockSettings
{
    public static IReadOnlyDictionary<string, string?> NoBackgroundTimers { get; } = new Dictionary<string, string?>
    {
        ["Moltworker:WalCheckpointInterval"] = "00:00:00",
        ["Moltworker:Transactions:WriteDelay"] = "00:00:00",
        ["Moltworker:Tools:Cache:SweepInterval"] = "00:00:00",
    };
}
