using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Chat;

/// <summary>
/// The upgrade rule for message task ids (<see cref="TaskIds.For"/> changed from SHA-256 to XxHash128 in 2026-12): a
/// message redelivered after the upgrade must still join the task that an older version started for it and did not
/// finish, instead of starting a second one that would repeat its side effects. Whether the store holds such a task is
/// asked once per process, at start, before the resume pass takes any task (<see cref="TaskResumeService"/>): is any
/// unfinished (running, paused or awaiting approval) task's id of the old form (<see cref="TaskIds.IsLegacy"/>). Only then does a redelivered message that has no
/// task under its new id also look under its old one (<see cref="TaskIds.Legacy"/>; computing it loads OpenSSL). A
/// first delivery never looks, and a host without such tasks pays nothing per turn: no lookup, no OpenSSL.
/// </summary>
public sealed partial class LegacyTaskIds(ILogger<LegacyTaskIds> logger, ITaskStore? store = null)
{
    /// <summary>A task in any of these may still be joined by a redelivered message.</summary>
    private static readonly DurableTaskStatus[] Unfinished = [DurableTaskStatus.Running, DurableTaskStatus.Paused, DurableTaskStatus.AwaitingApproval];

    private readonly Lock _gate = new();
    private Task<bool>? _present;

    /// <summary>Whether the store held an unfinished task with an old-form id at start (asked the first time only).</summary>
    public Task<bool> PresentAsync()
    {
        lock (_gate) return _present ??= DetectAsync();
    }

    private async Task<bool> DetectAsync()
    {
        if (store is null) return false;
        try
        {
            var legacy = 0;
            foreach (var status in Unfinished)
                legacy += (await store.ListAsync(status, int.MaxValue, CancellationToken.None)).Count(t => TaskIds.IsLegacy(t.Id));
            if (legacy > 0) LogPresent(legacy);
            return legacy > 0;
        }
        catch (Exception ex)
        {
            LogFailed(ex);
            return true; // in doubt, look: a wasted lookup on a redelivery is cheaper than a task run twice
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} unfinished task(s) have ids of the form used before 2026-12: a redelivered message also looks for its task under its old id until this host stops")]
    private partial void LogPresent(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell whether unfinished tasks have ids of the form used before 2026-12: redelivered messages also look under their old ids")]
    private partial void LogFailed(Exception ex);
}
