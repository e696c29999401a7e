namespace Moltworker.Kernel.Schedules;

/// <summary><c>Moltworker:Schedules</c>: scheduled runs of chat commands and prompts.</summary>
public sealed class SchedulesOptions
{
    public const string Section = "Moltworker:Schedules";

    /// <summary>Run the scheduler in this host. Schedules can still be listed and edited when it is off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A run missed (the host was down or busy) runs once when it is at most this late; later, it is skipped with a note in the chat.</summary>
    public TimeSpan CatchUpWithin { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Most schedules one chat may have.</summary>
    public int MaxPerChat { get; set; } = 20;

    /// <summary>Shortest interval, and shortest gap between two runs of a cron expression.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The time zone of cron expressions and one-off times given without one (IANA id).</summary>
    public string DefaultTimeZone { get; set; } = "UTC";
}
