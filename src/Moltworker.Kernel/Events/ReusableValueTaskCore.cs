using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Moltworker.Kernel.Events;

/// <summary>
/// The core of a reusable <see cref="IValueTaskSource{TResult}"/>, as <see cref="ManualResetValueTaskSourceCore{TResult}"/>
/// (reset, complete, await; one awaiter at a time), for objects that live long and wait often: a stream's wake-up and
/// its feed. The runtime's core hands the continuation over with <see cref="Interlocked.CompareExchange{T}(ref T, T, T)"/>
/// on an object field, and the runtime marks the card of a field stored by an interlocked operation whatever the
/// generation of what is stored (a plain store of an old object into an old one marks nothing). The objects of 1,000
/// streams are old, so each wait dirtied a card that the next gen0 collection had to scan: in the <c>events</c>
/// benchmark, card marking took 154–282 ms per 5,000 turns with 1,000 following streams against 45–71 ms without. Here the hand-over is an <see cref="int"/>
/// (<see cref="_phase"/>) and the continuation is a plain store. Continuations run where the awaiter asked (its
/// synchronization context or task scheduler, its execution context), on the thread pool when
/// <see cref="RunContinuationsAsynchronously"/> or when the awaiter came after the completion, else inline.
/// </summary>
internal struct ReusableValueTaskCore<TResult>
{
    private const int Pending = 0, Awaited = 1, Completed = 2;

    private Action<object?>? _continuation;
    private object? _continuationState;
    private ExecutionContext? _executionContext;
    private object? _scheduler;   // the awaiter's SynchronizationContext or TaskScheduler, when it is not the default
    private ExceptionDispatchInfo? _error;
    private TResult? _result;
    private int _phase;
    private short _version;

    /// <summary>Whether a continuation waiting at the completion runs on the thread pool rather than on the completing thread.</summary>
    public bool RunContinuationsAsynchronously { get; init; }

    /// <summary>The token of the current operation, for the <see cref="ValueTask"/> handed out.</summary>
    public readonly short Version => _version;

    /// <summary>Starts a new operation: the previous one's token is no longer valid. Only once that one completed and
    /// its result was taken.</summary>
    public void Reset()
    {
        _version++;
        _continuation = null;
        _continuationState = null;
        _executionContext = null;
        _scheduler = null;
        _error = null;
        _result = default;
        Volatile.Write(ref _phase, Pending);
    }

    public void SetResult(TResult result)
    {
        _result = result;
        SignalCompletion();
    }

    public void SetException(Exception error)
    {
        _error = ExceptionDispatchInfo.Capture(error);
        SignalCompletion();
    }

    public ValueTaskSourceStatus GetStatus(short token)
    {
        ValidateToken(token);
        if (Volatile.Read(ref _phase) != Completed) return ValueTaskSourceStatus.Pending;
        return _error is null ? ValueTaskSourceStatus.Succeeded
            : _error.SourceException is OperationCanceledException ? ValueTaskSourceStatus.Canceled : ValueTaskSourceStatus.Faulted;
    }

    public TResult GetResult(short token)
    {
        ValidateToken(token);
        if (Volatile.Read(ref _phase) != Completed) throw new InvalidOperationException("The operation has not completed yet.");
        _error?.Throw();
        return _result!;
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ValidateToken(token);
        if ((flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0) _executionContext = ExecutionContext.Capture();
        if ((flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0) _scheduler = CurrentScheduler();
        _continuation = continuation;
        _continuationState = state;
        // A full fence: the stores above are seen by a completer that finds Awaited.
        var was = Interlocked.CompareExchange(ref _phase, Awaited, Pending);
        if (was == Awaited) throw new InvalidOperationException("The operation is already awaited: one awaiter at a time.");
        if (was == Completed) InvokeContinuation(async: true);   // completed meanwhile: not on the awaiter's own stack
    }

    private void SignalCompletion()
    {
        var was = Interlocked.Exchange(ref _phase, Completed);
        if (was == Completed) throw new InvalidOperationException("The operation was already completed.");
        if (was == Awaited) InvokeContinuation(RunContinuationsAsynchronously);
    }

    private readonly void InvokeContinuation(bool async)
    {
        var call = new Continuation(_continuation!, _continuationState, _scheduler, async);
        if (_executionContext is null) call.Dispatch(flowContext: false);
        else ExecutionContext.Run(_executionContext, static c => ((Continuation)c!).Dispatch(flowContext: true), call);   // boxes: only for awaiters that flow their context
    }

    private readonly void ValidateToken(short token)
    {
        if (token != _version) throw new InvalidOperationException("The ValueTask was already awaited, or is used after its source was reset.");
    }

    private static object? CurrentScheduler()
    {
        if (SynchronizationContext.Current is { } context && context.GetType() != typeof(SynchronizationContext)) return context;
        return TaskScheduler.Current is var scheduler && scheduler != TaskScheduler.Default ? scheduler : null;
    }

    /// <summary>A continuation about to run, and where.</summary>
    private readonly record struct Continuation(Action<object?> Call, object? State, object? Scheduler, bool Async)
    {
        public void Dispatch(bool flowContext)
        {
            switch (Scheduler)
            {
                case SynchronizationContext context:
                    context.Post(static c => ((Continuation)c!).Run(), this);
                    return;
                case TaskScheduler scheduler:
                    Task.Factory.StartNew(Call, State, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);
                    return;
            }
            if (!Async) Call(State);
            else if (flowContext) ThreadPool.QueueUserWorkItem(Call, State, preferLocal: true);   // the context Run made current
            else ThreadPool.UnsafeQueueUserWorkItem(Call, State, preferLocal: true);
        }

        private void Run() => Call(State);
    }
}
