using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Prompts;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Chat;

/// <summary>One turn with the agent: load the conversation, run the phases, keep the new messages.
/// Task trackers (the durable task store) hear when a turn starts and how it ended. A running turn can be cancelled from
/// outside (<see cref="RunningTasks"/>): it then fails with <see cref="TaskCancelledException"/>'s message. The agent's
/// state is <c>idle</c> once a turn ended, before its task_completed or task_failed.</summary>
public sealed partial class AgentService(
    IConversationStore conversations,
    PromptLibrary prompts,
    AgentRegistry agents,
    ChatAgents chatAgents,
    PhaseRunner phases,
    ModelAccess models,
    ModelCatalog modelCatalog,
    IEventBus events,
    IOptions<AgentOptions> options,
    IEnumerable<ITaskTracker> trackers,
    TaskFailureRecorder storageFailures,
    RunningTasks running,
    IEnumerable<ISystemPromptSection> promptSections,
    ILogger<AgentService> logger,
    LegacyTaskIds? legacyIds = null)
{
    public async Task<ChatReply> RunTurnAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        await storageFailures.FlushAsync();
        var taskId = message.MessageId is { } messageId ? TaskIds.For(message.Address, messageId) : TaskIds.New();
        if (message.MessageId is not null && !message.FirstDelivery && await RedeliveredAsync(taskId, message, cancellationToken) is { } earlier)
            return earlier;
        var key = message.Address.ConversationKey;
        var agent = agents.Get(message.Agent ?? await chatAgents.AgentOfAsync(message.Address, cancellationToken));
        var turnModel = agent.Model is { } model && models.IsConfigured ? modelCatalog.Get(model) : models.Model;
        var history = new List<ChatMessage> { new(ChatRole.System, await SystemPromptAsync(agent, message, turnModel, cancellationToken)) };
        var stored = await conversations.LoadHistoryAsync(key, options.Value.HistoryMessages, cancellationToken);
        if (stored.Summary is { } summary) history.Add(SummaryMessage.For(summary));
        history.AddRange(stored.Messages.Select(m => m.Message));
        var turn = new TurnContext
        {
            TaskId = taskId,
            Address = message.Address,
            History = history,
            TurnStart = history.Count,
            Stored = stored,
            Model = turnModel,
            Agent = agent.Name,
            OnTextDelta = message.OnTextDelta,
            CancellationToken = cancellationToken,
            BypassToolCache = message.BypassToolCache,
        };
        history.Add(new ChatMessage(ChatRole.User, message.Text));
        foreach (var tracker in trackers) await tracker.StartedAsync(turn, cancellationToken);
        events.Publish(new TaskStarted(turn.TaskId, turn.Address, agent.Name));
        return await ContinueAsync(turn, agent);
    }

    /// <summary>The answer of the task a redelivered message already has (finished, or joined while it runs), or null.
    /// Also under the message's id from before 2026-12 (<see cref="TaskIds.Legacy"/>), on a host whose store held an
    /// unfinished task with such an id at start (<see cref="LegacyTaskIds"/>).</summary>
    private async Task<ChatReply?> RedeliveredAsync(string taskId, IncomingMessage message, CancellationToken cancellationToken)
    {
        foreach (var tracker in trackers)
            if (await tracker.RedeliveredAsync(taskId, cancellationToken) is { } earlier) return earlier;
        if (legacyIds is null || !trackers.Any() || !await legacyIds.PresentAsync()) return null;
        var legacy = TaskIds.Legacy(message.Address, message.MessageId!);
        foreach (var tracker in trackers)
            if (await tracker.RedeliveredAsync(legacy, cancellationToken) is { } earlier) return earlier;
        return null;
    }

    /// <summary>The system prompt and the agent's prompt, then each section that has something for this message
    /// (the user's relevant memories).</summary>
    private async Task<string> SystemPromptAsync(AgentDefinition agent, IncomingMessage message, ModelInfo model, CancellationToken cancellationToken)
    {
        var system = prompts.SystemPrompt(agent);
        foreach (var section in promptSections)
            if (await section.ForTurnAsync(message, model, cancellationToken) is { Length: > 0 } text) system = $"{system}\n\n{text}";
        return system;
    }

    /// <summary>Runs the turn's phases from <paramref name="firstPhase"/> and keeps its new messages. A new turn starts at
    /// phase 0; a task resumed after a restart continues inside the phase of its checkpoint, unless its turn was already
    /// kept before the process stopped: then it finishes from what is stored, without calling the model again.</summary>
    public async Task<ChatReply> ContinueAsync(TurnContext turn, AgentDefinition agent, int firstPhase = 0, bool resumeInPhase = false)
    {
        if (turn.IsResumed && await conversations.FindTurnAsync(turn.TaskId, CancellationToken.None) is { } stored)
        {
            LogAlreadyKept(turn.TaskId);
            return await CompleteAsync(turn, stored.Answer, usage: null);
        }
        using var tracked = running.Track(turn);
        try
        {
            return await RunPhasesAsync(turn, agent, firstPhase, resumeInPhase, tracked);
        }
        catch (StorageException ex)
        {
            // The caller hears it (the HTTP API answers 503); the task does not stay Running to resume at the next start.
            await storageFailures.RecordAsync(turn, ex);
            Failed(turn, ex.Message);
            throw;
        }
    }

    private async Task<ChatReply> RunPhasesAsync(TurnContext turn, AgentDefinition agent, int firstPhase, bool resumeInPhase, RunningTasks.Tracked tracked)
    {
        try
        {
            await phases.RunAsync(turn, agent, firstPhase, resumeInPhase);
            if (tracked.CancelRequested) throw new OperationCanceledException();   // cancelled as it was finishing
        }
        catch (Exception ex) when (tracked.CancelRequested && ex is not StorageException)
        {
            var cancelled = new TaskCancelledException(ex);
            LogCancelled(turn.TaskId);
            var reply = new ChatReply(cancelled.Message, IsError: true) { TaskId = turn.TaskId };
            foreach (var tracker in trackers) await tracker.FinishedAsync(turn, reply, cancelled, CancellationToken.None);
            Failed(turn, cancelled.Message);
            return reply;
        }
        catch (Exception ex) when (ex is ModelConfigurationException or ModelUnavailableException or TaskStoppedException)
        {
            var waits = ex is TaskStoppedException { Status: DurableTaskStatus.Paused or DurableTaskStatus.AwaitingApproval };
            if (waits) LogWaiting(turn.TaskId, ((TaskStoppedException)ex).Status, ex.Message);
            else LogStopped(ex, turn.TaskId);
            var reply = new ChatReply(ex.Message, IsError: ex is not TaskStoppedException { Status: DurableTaskStatus.AwaitingApproval }) { TaskId = turn.TaskId };
            foreach (var tracker in trackers) await tracker.FinishedAsync(turn, reply, ex, CancellationToken.None);
            if (!waits) Failed(turn, ex.Message);
            return reply;
        }
        var kept = await conversations.AppendTurnAsync(
            new KeptTurn(turn.TaskId, turn.Address.ConversationKey, turn.FinalText ?? ""), NewMessages(turn), turn.Model.Id, CancellationToken.None);
        return await CompleteAsync(turn, kept.Answer, turn.Usage);
    }

    /// <summary>The turn's messages after the history it started from, the answer carrying the turn's token counts.</summary>
    private static List<ChatMessage> NewMessages(TurnContext turn)
    {
        var messages = turn.History.Skip(turn.TurnStart).Where(m => m.Role != ChatRole.System && !ToolMessages.IsAttachment(m)).ToList();
        if (messages.LastOrDefault(m => m.Role == ChatRole.Assistant) is { } answer)
        {
            answer.AdditionalProperties ??= [];
            answer.AdditionalProperties[MessageProperties.InputTokens] = turn.Usage.InputTokenCount;
            answer.AdditionalProperties[MessageProperties.OutputTokens] = turn.Usage.OutputTokenCount;
        }
        return messages;
    }

    /// <summary>Tells the trackers (the task store marks the task completed with this answer) once the turn is kept.</summary>
    private async Task<ChatReply> CompleteAsync(TurnContext turn, string answer, UsageDetails? usage)
    {
        var reply = new ChatReply(answer, IsError: false) { TaskId = turn.TaskId, Usage = usage };
        foreach (var tracker in trackers) await tracker.FinishedAsync(turn, reply, null, CancellationToken.None);
        events.Publish(new PoStateChanged(turn.TaskId, turn.Address, PoStatus.Idle));
        events.Publish(new TaskCompleted(turn.TaskId, turn.Address));
        return reply;
    }

    private void Failed(TurnContext turn, string error)
    {
        events.Publish(new PoStateChanged(turn.TaskId, turn.Address, PoStatus.Idle));
        events.Publish(new TaskFailed(turn.TaskId, turn.Address, error));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} was cancelled")]
    private partial void LogCancelled(string taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} had kept its answer before the process stopped; it completes from the stored answer")]
    private partial void LogAlreadyKept(string taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} waits ({Status}): {Reason}")]
    private partial void LogWaiting(string taskId, DurableTaskStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} stopped without an answer")]
    private partial void LogStopped(Exception ex, string taskId);
}
