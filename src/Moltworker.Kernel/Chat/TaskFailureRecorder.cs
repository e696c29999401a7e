using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Chat;

/// <summary>
/// Marks a task failed when the database failed under its turn (disk full, read-only), so that it is not left
/// <c>Running</c> and resumed on the next start. Marking it is a write too and may fail while the disk is still full:
/// then the failure is kept in memory and written by the next turn that finds the database writable again.
/// </summary>
public sealed partial class TaskFailureRecorder(IEnumerable<ITaskTracker> trackers, ILogger<TaskFailureRecorder> logger)
{
    private readonly ConcurrentQueue<(TurnContext Turn, ChatReply Reply, Exception Error)> _pending = new();

    /// <summary>Failures not written yet.</summary>
    public int Pending => _pending.Count;

    public async Task RecordAsync(TurnContext turn, StorageException error)
    {
        var reply = new ChatReply(error.Message, IsError: true) { TaskId = turn.TaskId };
        if (await TryWriteAsync(turn, reply, error)) return;
        _pending.Enqueue((turn, reply, error));
        LogKept(turn.TaskId);
    }

    /// <summary>Writes the failures kept while the database could not; stops at the first that still cannot be written.</summary>
    public async Task FlushAsync()
    {
        while (_pending.TryPeek(out var entry))
        {
            if (!await TryWriteAsync(entry.Turn, entry.Reply, entry.Error)) return;
            _pending.TryDequeue(out _);
        }
    }

    private async Task<bool> TryWriteAsync(TurnContext turn, ChatReply reply, Exception error)
    {
        try
        {
            foreach (var tracker in trackers) await tracker.FinishedAsync(turn, reply, error, CancellationToken.None);
            LogMarked(turn.TaskId, error.Message);
            return true;
        }
        catch (StorageException) { return false; }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} failed because the database could not write; marked failed: {Reason}")]
    private partial void LogMarked(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} failed on the database and cannot be marked failed yet; it will be once the database writes again")]
    private partial void LogKept(string taskId);
}
