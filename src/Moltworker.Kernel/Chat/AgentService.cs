using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Prompts;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Chat;

/// <summary>One turn with the agent: load the conversation, run the phases, keep the new messages.</summary>
public sealed partial class AgentService(
    IConversationStore conversations,
    PromptLibrary prompts,
    PhaseRunner phases,
    ModelAccess models,
    IEventBus events,
    IOptions<AgentOptions> options,
    ILogger<AgentService> logger)
{
    public async Task<ChatReply> RunTurnAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var key = message.Address.ConversationKey;
        var agent = prompts.Agent(options.Value.Name);
        var history = new List<ChatMessage> { new(ChatRole.System, prompts.SystemPrompt(agent)) };
        history.AddRange(await conversations.LoadAsync(key, options.Value.HistoryMessages, cancellationToken));
        var turn = new TurnContext
        {
            TaskId = TaskIds.New(),
            Address = message.Address,
            History = history,
            TurnStart = history.Count,
            Model = models.Model,
            Agent = agent.Name,
            OnTextDelta = message.OnTextDelta,
            CancellationToken = cancellationToken,
        };
        history.Add(new ChatMessage(ChatRole.User, message.Text));
        events.Publish(new TaskStarted(turn.TaskId, turn.Address, agent.Name));
        try
        {
            await phases.RunAsync(turn, agent);
        }
        catch (Exception ex) when (ex is ModelConfigurationException or ModelUnavailableException)
        {
            LogModelFailed(ex, turn.TaskId);
            events.Publish(new TaskFailed(turn.TaskId, turn.Address, ex.Message));
            return new ChatReply(ex.Message, IsError: true) { TaskId = turn.TaskId };
        }
        var kept = history.Skip(turn.TurnStart).Where(m => m.Role != ChatRole.System).ToList();
        if (kept.LastOrDefault(m => m.Role == ChatRole.Assistant) is { } answer)
        {
            answer.AdditionalProperties ??= [];
            answer.AdditionalProperties[MessageProperties.InputTokens] = turn.Usage.InputTokenCount;
            answer.AdditionalProperties[MessageProperties.OutputTokens] = turn.Usage.OutputTokenCount;
        }
        await conversations.AppendAsync(key, kept, turn.Model.Id, CancellationToken.None);
        events.Publish(new TaskCompleted(turn.TaskId, turn.Address));
        return new ChatReply(turn.FinalText ?? "", IsError: false) { TaskId = turn.TaskId, Usage = turn.Usage };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId}: the model failed")]
    private partial void LogModelFailed(Exception ex, string taskId);
}

public static class TaskIds
{
    public static string New() => $"t{DateTime.UtcNow:yyMMddHHmmss}{Random.Shared.Next(0x10000):x4}";
}
