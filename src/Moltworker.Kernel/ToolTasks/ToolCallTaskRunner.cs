using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.ToolTasks;

/// <summary>
/// Runs one tool call a client asked for directly (the MCP server) as a durable task of its own: the task row and its
/// checkpoint (holding the call) are written first, <c>task_started</c> is published, and the call runs as a one-call
/// batch through <see cref="BatchRunner"/>, so every batch and function filter a model's call meets applies (approval
/// gate, events, journal, retry, transaction log, timeout, result). The task ends completed with the tool's text, failed
/// with an error result's text, awaiting approval, or paused on an in-doubt call after a restart. It can be cancelled
/// like a turn (<see cref="RunningTasks"/>). <see cref="ResumeAsync"/> continues such a task from its checkpoint, the
/// way every task resumes: after an approval is answered and after a restart.
/// </summary>
public sealed partial class ToolCallTaskRunner(
    BatchRunner batches,
    IEnumerable<ITaskTracker> trackers,
    ChatAgents chatAgents,
    IEventBus events,
    RunningTasks running,
    ILogger<ToolCallTaskRunner> logger,
    IApprovalStore? approvals = null)
{
    /// <summary>Starts the task and runs the call; the outcome says how it ended (or that it waits).</summary>
    public async Task<ToolCallOutcome> RunAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        var agent = await chatAgents.AgentOfAsync(request.Address, cancellationToken);
        var call = new FunctionCallContent(ToolCallTasks.CallId, request.Tool, request.Arguments.ToDictionary(kv => kv.Key, kv => (object?)kv.Value));
        var turn = new TurnContext
        {
            TaskId = TaskIds.New(),
            Address = request.Address,
            History = [new ChatMessage(ChatRole.Assistant, [call])],
            Model = ModelInfo.None,
            Agent = agent,
            CancellationToken = cancellationToken,
        };
        foreach (var tracker in trackers) await tracker.StartedAsync(turn, cancellationToken);
        events.Publish(new TaskStarted(turn.TaskId, turn.Address, agent));
        return await RunCallAsync(turn, call);
    }

    /// <summary>Continues a tool task whose checkpoint was put back into <paramref name="turn"/>: the journal answers a
    /// call that finished, the gate an answered approval; a side-effecting call with an intent and no result pauses it.</summary>
    public async Task<ChatReply> ResumeAsync(TurnContext turn)
    {
        turn.Model = ModelInfo.None;
        var call = ToolCallTasks.CallOf(turn);
        var outcome = call is null
            ? await FinishAsync(turn, new ToolCallOutcome(turn.TaskId, $"Tool task {turn.TaskId} has no call in its checkpoint.", IsError: true), null)
            : await RunCallAsync(turn, call);
        return new ChatReply(outcome.Text, outcome.IsError) { TaskId = turn.TaskId };
    }

    private async Task<ToolCallOutcome> RunCallAsync(TurnContext turn, FunctionCallContent call)
    {
        using var tracked = running.Track(turn);
        try
        {
            var result = (await batches.RunAsync(turn, [call], ToolCallTasks.Caller))[0].Result!;
            if (tracked.CancelRequested) throw new OperationCanceledException();
            var outcome = new ToolCallOutcome(turn.TaskId, result.Content, result.IsError);
            return await FinishAsync(turn, outcome, result.IsError ? new ToolCallError(result.Content) : null);
        }
        catch (Exception ex) when (tracked.CancelRequested)
        {
            LogCancelled(turn.TaskId);
            var cancelled = new TaskCancelledException(ex);
            return await FinishAsync(turn, new ToolCallOutcome(turn.TaskId, cancelled.Message, IsError: true), cancelled);
        }
        catch (OperationCanceledException ex) when (turn.CancellationToken.IsCancellationRequested)
        {
            // The client cancelled the call or went away: nobody waits for a resume, so the task ends here. The journal
            // keeps the call's intent (and its result if it finished).
            var gone = new TaskCancelledException(ex);
            return await FinishAsync(turn, new ToolCallOutcome(turn.TaskId, gone.Message, IsError: true), gone);
        }
        catch (TaskAwaitingApprovalException ex)
        {
            var request = approvals is null ? null : await approvals.FindByCallAsync(CallPreparer.ToolContextFor(turn, call.CallId).IdempotencyKey, CancellationToken.None);
            await TellTrackersAsync(turn, ex.Message, isError: false, ex);
            return new ToolCallOutcome(turn.TaskId, ex.Message, IsError: true) { ApprovalId = request?.Id };
        }
        catch (TaskStoppedException ex)
        {
            await TellTrackersAsync(turn, ex.Message, isError: true, ex);
            if (ex.Status != DurableTaskStatus.Paused) events.Publish(new TaskFailed(turn.TaskId, turn.Address, ex.Message));
            return new ToolCallOutcome(turn.TaskId, ex.Message, IsError: true);
        }
    }

    /// <summary>Records how the task ended and publishes <c>task_completed</c> or <c>task_failed</c>.</summary>
    private async Task<ToolCallOutcome> FinishAsync(TurnContext turn, ToolCallOutcome outcome, Exception? error)
    {
        await TellTrackersAsync(turn, outcome.Text, outcome.IsError, error);
        events.Publish(new PoStateChanged(turn.TaskId, turn.Address, PoStatus.Idle));
        events.Publish(error is null ? new TaskCompleted(turn.TaskId, turn.Address) : new TaskFailed(turn.TaskId, turn.Address, outcome.Text));
        return outcome;
    }

    private async Task TellTrackersAsync(TurnContext turn, string text, bool isError, Exception? error)
    {
        var reply = new ChatReply(text, isError) { TaskId = turn.TaskId };
        foreach (var tracker in trackers) await tracker.FinishedAsync(turn, reply, error, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tool task {TaskId} was cancelled")]
    private partial void LogCancelled(string taskId);
}
