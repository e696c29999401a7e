namespace Moltworker.Host.Composition;

/// <summary><c>Moltworker:ShutdownTimeout</c>: how the host stops (SIGTERM, Ctrl+C, <c>systemctl stop</c>).</summary>
public sealed class ShutdownOptions
{
    /// <summary>How long turns in flight get to finish after a stop signal (intake stops at once). Turns still running then
    /// are cancelled; their tasks keep their checkpoint and resume at the next start. A second signal stops at once.
    /// Keep it below systemd's <c>TimeoutStopSec</c>. Default 15 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
