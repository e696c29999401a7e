using System.Collections.Concurrent;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tasks;

/// <summary>The turns running in this process, by task id, so one can be cancelled from outside the turn
/// (<c>POST /api/tasks/{id}/cancel</c>). <see cref="Track"/> gives the turn a token that <see cref="Cancel"/> cancels.</summary>
public sealed class RunningTasks
{
    private readonly ConcurrentDictionary<string, Tracked> _running = new(StringComparer.Ordinal);

    /// <summary>Whether the turn of <paramref name="taskId"/> runs in this process now.</summary>
    public bool IsRunning(string taskId) => _running.ContainsKey(taskId);

    /// <summary>Cancels the running turn of <paramref name="taskId"/>; false when none runs here.</summary>
    public bool Cancel(string taskId)
    {
        if (!_running.TryGetValue(taskId, out var tracked)) return false;
        tracked.Cancel();
        return true;
    }

    /// <summary>Links the turn's token to a cancel of its own until the result is disposed (which restores the token).</summary>
    public Tracked Track(TurnContext turn)
    {
        var tracked = new Tracked(this, turn);
        _running[turn.TaskId] = tracked;
        return tracked;
    }

    /// <summary>One tracked turn; <see cref="CancelRequested"/> tells a cancel from outside from any other.</summary>
    public sealed class Tracked : IDisposable
    {
        private readonly RunningTasks _owner;
        private readonly TurnContext _turn;
        private readonly CancellationToken _outer;
        private readonly CancellationTokenSource _cancel;

        internal Tracked(RunningTasks owner, TurnContext turn)
        {
            _owner = owner;
            _turn = turn;
            _outer = turn.CancellationToken;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(_outer);
            turn.CancellationToken = _cancel.Token;
        }

        public bool CancelRequested { get; private set; }

        internal void Cancel()
        {
            CancelRequested = true;
            try { _cancel.Cancel(); }
            catch (ObjectDisposedException) { }   // the turn ended meanwhile
        }

        public void Dispose()
        {
            _owner._running.TryRemove(new KeyValuePair<string, Tracked>(_turn.TaskId, this));
            _turn.CancellationToken = _outer;
            _cancel.Dispose();
        }
    }
}
