using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Prompts;

namespace Moltworker.Kernel.Tasks;

/// <summary>
/// At start, takes over the tasks whose owner died and continues each from its checkpoint: completed calls come from the
/// journal, in-doubt ones follow the journal's rules. A task that died <c>MaxDeathsWithoutProgress</c> times in a row
/// without progress fails explicitly; a checkpoint of an unknown schema version is refused. When the host stops, resumed
/// tasks get until its shutdown timeout to finish; those still running then are cancelled and resume at the next start.
/// On a shared database (<see cref="IHostLeases.Shared"/>) only tasks whose lease expired are taken, at start and at
/// every heartbeat (<see cref="SweepAsync"/>), and a redelivered message whose task another live host runs waits for
/// that host's answer (or for its lease to expire, then takes the task over). A tool task (one call a client made
/// directly, <see cref="ToolTasks.ToolCallTasks"/>) continues through <see cref="ToolTasks.ToolCallTaskRunner"/>, not the
/// agent loop: it has no model to ask.
/// </summary>
public sealed partial class TaskResumeService(
    ITaskStore store,
    TaskOwner owner,
    AgentService agents,
    Agents.AgentRegistry agentFiles,
    ModelCatalog catalog,
    IEventBus events,
    IOptions<TasksOptions> options,
    ILogger<TaskResumeService> logger,
    IHostLeases? leases = null,
    IOptions<ClusterOptions>? cluster = null,
    TimeProvider? time = null,
    ToolTasks.ToolCallTaskRunner? toolTasks = null,
    LegacyTaskIds? legacyIds = null) : BackgroundService, IExpiredWorkSweep
{
    private readonly IHostLeases _leases = leases ?? new SingleHostLeases();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _claims = new(1, 1);
    private readonly ConcurrentDictionary<string, Task<ChatReply>> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _abort = new();

    /// <summary>Completes when the resume pass at start has finished (every claimed task ended, paused or failed).</summary>
    public Task FirstPass => _firstPass.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Before any task is taken and finished: whether unfinished tasks still have ids of the old form.
            if (legacyIds is not null) await legacyIds.PresentAsync().WaitAsync(stoppingToken);
            if (options.Value.ResumeOnStart) await ResumeOrphansAsync(stoppingToken);
            _firstPass.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { _firstPass.TrySetCanceled(stoppingToken); }
        catch (Exception ex)
        {
            LogPassFailed(ex);
            _firstPass.TrySetException(ex);
        }
    }

    /// <summary>Claims every orphaned task and resumes them concurrently.</summary>
    public async Task ResumeOrphansAsync(CancellationToken cancellationToken)
    {
        List<Task<ChatReply>> runs;
        await _claims.WaitAsync(cancellationToken);
        try { runs = (await store.ClaimOrphansAsync(owner.Id, cancellationToken)).Select(t => Start(t, _abort.Token)).ToList(); }
        finally { _claims.Release(); }
        await Task.WhenAll(runs);
    }

    /// <summary>Claims the tasks whose lease expired (their host died) and resumes them without waiting for them: the
    /// heartbeat's sweep on a shared database.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (!_firstPass.Task.IsCompleted) return; // the pass at start claims them
        await _claims.WaitAsync(cancellationToken);
        try
        {
            foreach (var task in await store.ClaimOrphansAsync(owner.Id, cancellationToken))
                if (!_running.ContainsKey(task.Id)) _ = Start(task, _abort.Token);
        }
        finally { _claims.Release(); }
    }

    /// <summary>A redelivered message whose task is unfinished: waits for the resume already running here, or claims the
    /// task from its dead owner and resumes it, and answers with its reply.</summary>
    public async Task<ChatReply> JoinAsync(DurableTask task, CancellationToken cancellationToken)
    {
        Task<ChatReply> run;
        await _claims.WaitAsync(cancellationToken);
        try
        {
            if (_running.TryGetValue(task.Id, out var existing)) run = existing;
            else if (await store.ClaimAsync(task.Id, owner.Id, cancellationToken) is { } claimed) run = Start(claimed, _abort.Token);
            else if (_leases.Shared) run = AwaitOtherHostAsync(task, cancellationToken);
            else run = Task.FromResult(new ChatReply("This message is already being answered.", IsError: false) { TaskId = task.Id });
        }
        finally { _claims.Release(); }
        return await run.WaitAsync(cancellationToken);
    }

    /// <summary>Another host holds the task's lease: its answer when it finishes there, or the task taken over here
    /// once that lease expires (checked every <see cref="ClusterOptions.SweepEvery"/>).</summary>
    private async Task<ChatReply> AwaitOtherHostAsync(DurableTask task, CancellationToken cancellationToken)
    {
        var every = (cluster?.Value ?? new ClusterOptions()).SweepEvery;
        while (true)
        {
            await Task.Delay(every, _time, cancellationToken);
            var now = await store.GetAsync(task.Id, cancellationToken);
            if (now is null) return new ChatReply("", IsError: true) { TaskId = task.Id };
            if (TaskAnswers.Of(now) is { } answer) return answer;
            Task<ChatReply>? run = null;
            await _claims.WaitAsync(cancellationToken);
            try
            {
                if (_running.TryGetValue(task.Id, out var existing)) run = existing;
                else if (await store.ClaimAsync(task.Id, owner.Id, cancellationToken) is { } claimed) run = Start(claimed, _abort.Token);
            }
            finally { _claims.Release(); }
            if (run is not null) return await run.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Waits for the running resumes until <paramref name="cancellationToken"/> (the host's shutdown timeout), then
    /// cancels them: they stay Running with their checkpoint and resume at the next start.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Task running = Task.WhenAll(_running.Values);
        try { await running.WaitAsync(cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _abort.CancelAsync();
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (Exception) { } // a failed resume was logged where it failed
    }

    private Task<ChatReply> Start(DurableTask task, CancellationToken cancellationToken)
    {
        var run = ResumeAsync(task, cancellationToken);
        _running[task.Id] = run;
        _ = run.ContinueWith(_ => _running.TryRemove(task.Id, out Task<ChatReply>? _), TaskScheduler.Default);
        return run;
    }

    private async Task<ChatReply> ResumeAsync(DurableTask task, CancellationToken cancellationToken)
    {
        await Task.Yield(); // registered before it runs
        try
        {
            if (task.Deaths >= options.Value.MaxDeathsWithoutProgress)
            {
                return await FailAsync(task, $"The task died {task.Deaths} times in a row without progress and was not resumed again " +
                                             $"(Moltworker:Tasks:MaxDeathsWithoutProgress). Last error: {task.LastError ?? "none recorded"}.");
            }
            var stored = await store.LoadCheckpointAsync(task.Id, cancellationToken);
            if (stored is null) return await FailAsync(task, $"Task {task.Id} has no checkpoint to resume from.");
            TaskCheckpoint checkpoint;
            try { checkpoint = TaskCheckpoint.Decode(task.Id, stored); }
            catch (CheckpointVersionException ex) { return await FailAsync(task, ex.Message); }

            var turn = new TurnContext
            {
                TaskId = task.Id,
                Address = task.Address,
                History = [],
                Model = catalog.Get(checkpoint.ModelId),
                Agent = checkpoint.Agent,
                CancellationToken = cancellationToken,
            };
            checkpoint.ApplyTo(turn);
            turn.IsTracked = true;
            turn.IsResumed = true;
            LogResuming(task.Id, checkpoint.Phase, checkpoint.Step, task.Deaths);
            events.Publish(new TaskResumed(task.Id, task.Address, task.AutoResumeCount, "the host restarted"));
            var reply = toolTasks is not null && ToolTasks.ToolCallTasks.Is(task)
                ? await toolTasks.ResumeAsync(turn)
                : await agents.ContinueAsync(turn, agentFiles.Get(checkpoint.Agent), checkpoint.PhaseIndex, checkpoint.InPhase);
            events.Publish(new TaskAnswered(task.Id, task.Address, reply.Text, reply.IsError));
            return reply;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
        catch (Exception ex)
        {
            LogResumeFailed(ex, task.Id);
            return new ChatReply($"Resuming the task failed: {ex.Message}", IsError: true) { TaskId = task.Id };
        }
    }

    private async Task<ChatReply> FailAsync(DurableTask task, string message)
    {
        LogGivingUp(task.Id, message);
        await store.SetStatusAsync(task.Id, DurableTaskStatus.Failed, message, null, CancellationToken.None);
        events.Publish(new TaskFailed(task.Id, task.Address, message));
        events.Publish(new TaskAnswered(task.Id, task.Address, message, IsError: true));
        return new ChatReply(message, IsError: true) { TaskId = task.Id };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming task {TaskId} in phase {Phase} at step {Step} (deaths without progress: {Deaths})")]
    private partial void LogResuming(string taskId, string phase, int step, int deaths);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} is not resumed: {Reason}")]
    private partial void LogGivingUp(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Resuming task {TaskId} failed")]
    private partial void LogResumeFailed(Exception ex, string taskId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The resume pass at start failed")]
    private partial void LogPassFailed(Exception ex);
}
