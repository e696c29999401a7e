using System.Threading.Tasks.Sources;
using Moltworker.Kernel.Events;

namespace Moltworker.Kernel.Tests.Events;

/// <summary>The reusable awaitable under a stream's waits: the same contract as the runtime's manual-reset core (one
/// awaiter, tokens, results, errors, contexts), with its hand-over done on an integer.</summary>
public sealed class ReusableValueTaskCoreTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A minimal source over the core, as the stream's signal and feed are.</summary>
    private sealed class Source(bool async) : IValueTaskSource<int>
    {
        public ReusableValueTaskCore<int> Core = new() { RunContinuationsAsynchronously = async };

        public ValueTask<int> Start()
        {
            Core.Reset();
            return new ValueTask<int>(this, Core.Version);
        }

        public int GetResult(short token) => Core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => Core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            Core.OnCompleted(continuation, state, token, flags);
    }

    [Fact]
    public void A_waiting_continuation_runs_inline_on_the_completing_thread_unless_asked_otherwise()
    {
        var source = new Source(async: false);
        var task = source.Start();
        var ran = false;
        source.Core.OnCompleted(_ => ran = true, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.None);
        Assert.Equal(ValueTaskSourceStatus.Pending, source.Core.GetStatus(source.Core.Version));
        source.Core.SetResult(7);
        Assert.True(ran);   // before SetResult returned
        Assert.Equal(7, task.Result);
    }

    [Fact]
    public async Task With_asynchronous_continuations_the_completer_does_not_run_the_continuation()
    {
        var source = new Source(async: true);
        _ = source.Start();
        var ran = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var completer = Environment.CurrentManagedThreadId;
        var gate = new ManualResetEventSlim();
        source.Core.OnCompleted(_ =>
        {
            gate.Wait(Patience);   // would deadlock the completer below if it ran inline
            ran.SetResult(Environment.CurrentManagedThreadId);
        }, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.None);
        source.Core.SetResult(1);
        gate.Set();
        Assert.NotEqual(completer, await ran.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_source_is_reused_for_many_operations_completed_from_other_threads()
    {
        var source = new Source(async: true);
        for (var i = 0; i < 2_000; i++)
        {
            var wait = source.Start();
            var value = i;
            if (i % 2 == 0) source.Core.SetResult(value);   // completed before it is awaited
            else _ = Task.Run(() => source.Core.SetResult(value));
            Assert.Equal(value, await wait.AsTask().WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task An_error_is_thrown_to_the_awaiter_and_cancellation_reports_canceled()
    {
        var source = new Source(async: false);
        var failing = source.Start();
        source.Core.SetException(new InvalidDataException("garbage"));
        Assert.Equal(ValueTaskSourceStatus.Faulted, source.Core.GetStatus(source.Core.Version));
        await Assert.ThrowsAsync<InvalidDataException>(async () => await failing);

        var cancelled = source.Start();
        source.Core.SetException(new OperationCanceledException());
        Assert.Equal(ValueTaskSourceStatus.Canceled, source.Core.GetStatus(source.Core.Version));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelled);
    }

    [Fact]
    public void Misuse_is_refused_stale_tokens_a_second_awaiter_and_a_second_completion()
    {
        var source = new Source(async: false);
        _ = source.Start();
        var stale = source.Core.Version;
        source.Core.SetResult(1);
        Assert.Throws<InvalidOperationException>(() => source.Core.SetResult(2));
        _ = source.Start();
        Assert.Throws<InvalidOperationException>(() => source.Core.GetResult(stale));
        Assert.Throws<InvalidOperationException>(() => source.Core.GetResult(source.Core.Version));   // not completed yet
        source.Core.OnCompleted(_ => { }, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.None);
        Assert.Throws<InvalidOperationException>(() =>
            source.Core.OnCompleted(_ => { }, null, source.Core.Version, ValueTaskSourceOnCompletedFlags.None));
    }

    [Fact]
    public async Task The_awaiters_execution_context_flows_into_the_continuation()
    {
        var local = new AsyncLocal<string?>();
        var source = new Source(async: true);
        _ = source.Start();
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        local.Value = "the awaiter's";
        source.Core.OnCompleted(_ => seen.SetResult(local.Value), null, source.Core.Version, ValueTaskSourceOnCompletedFlags.FlowExecutionContext);
        local.Value = null;
        await Task.Run(() =>
        {
            local.Value = "the completer's";
            source.Core.SetResult(1);
        });
        Assert.Equal("the awaiter's", await seen.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_continuation_goes_to_the_awaiters_synchronization_context()
    {
        var context = new RecordingContext();
        var source = new Source(async: false);
        _ = source.Start();
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            source.Core.OnCompleted(_ => ran.SetResult(), null, source.Core.Version, ValueTaskSourceOnCompletedFlags.UseSchedulingContext);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        source.Core.SetResult(1);
        await ran.Task.WaitAsync(Patience);
        Assert.Equal(1, context.Posts);
    }

    private sealed class RecordingContext : SynchronizationContext
    {
        public int Posts;

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref Posts);
            base.Post(d, state);
        }
    }
}
