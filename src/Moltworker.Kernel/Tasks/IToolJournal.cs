using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tasks;

/// <summary>The journal of tool calls, keyed by idempotency key (task:step:call). Each write is committed when it returns.</summary>
public interface IToolJournal
{
    /// <summary>Records the intent before dispatch (again, for an in-doubt rerun: counts a run).</summary>
    Task RecordIntentAsync(JournalEntry intent, CancellationToken cancellationToken);

    Task RecordResultAsync(string key, string taskId, ToolResult result, int attempts, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The entries among <paramref name="keys"/> that exist.</summary>
    Task<IReadOnlyDictionary<string, JournalEntry>> FindAsync(string taskId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    Task<IReadOnlyList<JournalEntry>> ListAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Drops an in-doubt entry (the user decided it may run again).</summary>
    Task ForgetAsync(string key, CancellationToken cancellationToken);
}
