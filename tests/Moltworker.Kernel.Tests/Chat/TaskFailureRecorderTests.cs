using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Tests.Chat;

/// <summary>Issue 12: a task whose turn failed on the database is marked failed with the reason, at once or, when even that
/// write fails, by the next turn once the database writes again.</summary>
public sealed class TaskFailureRecorderTests
{
    private sealed class Tracker(int failFirst) : ITaskTracker
    {
        private int _left = failFirst;
        public readonly List<(string TaskId, string? Error)> Finished = [];

        public Task StartedAsync(TurnContext turn, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<ChatReply?> RedeliveredAsync(string taskId, CancellationToken cancellationToken) => Task.FromResult<ChatReply?>(null);

        public Task FinishedAsync(TurnContext turn, ChatReply reply, Exception? error, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _left) >= 0) throw new StorageException("The disk is full.");
            Finished.Add((turn.TaskId, error?.Message));
            return Task.CompletedTask;
        }
    }

    private static TurnContext Turn(string id) => new()
    {
        TaskId = id,
        Address = new ChatAddress("test", "c", "u"),
        History = [],
        Model = ModelInfo.None,
        Agent = "test",
        CancellationToken = CancellationToken.None,
    };

    [Fact]
    public async Task The_failure_is_written_at_once_when_the_database_takes_it()
    {
        var tracker = new Tracker(0);
        var recorder = new TaskFailureRecorder([tracker], NullLogger<TaskFailureRecorder>.Instance);
        await recorder.RecordAsync(Turn("t1"), new StorageException("The disk holding x is full."));
        Assert.Equal([("t1", "The disk holding x is full.")], tracker.Finished);
        Assert.Equal(0, recorder.Pending);
    }

    [Fact]
    public async Task A_failure_that_cannot_be_written_yet_is_kept_and_written_once_the_database_works()
    {
        var tracker = new Tracker(2);
        var recorder = new TaskFailureRecorder([tracker], NullLogger<TaskFailureRecorder>.Instance);
        await recorder.RecordAsync(Turn("t1"), new StorageException("full"));
        Assert.Equal(1, recorder.Pending);
        await recorder.FlushAsync();   // still refused
        Assert.Equal(1, recorder.Pending);
        await recorder.FlushAsync();
        Assert.Equal(0, recorder.Pending);
        Assert.Equal([("t1", "full")], tracker.Finished);
    }
}
