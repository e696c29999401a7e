using System.Collections.Concurrent;

namespace Moltworker.Kernel.Inbox;

/// <summary>
/// Counts what the channels' intakes refused (an update that could not be read or routed, an interaction that is not
/// one): each was logged once and acknowledged, so the channel went on. /healthz shows the count per source as
/// <c>rejectedUpdates</c>.
/// </summary>
public sealed class RejectedIntake
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Counts one refused item of <paramref name="source"/> (e.g. "telegram").</summary>
    public void Record(string source) => _counts.AddOrUpdate(source, 1, (_, n) => n + 1);

    /// <summary>How many items of <paramref name="source"/> were refused since the process started.</summary>
    public long Count(string source) => _counts.TryGetValue(source, out var n) ? n : 0;
}
