using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Chat;

/// <summary>Routes a message: a /command runs directly; free text goes to the agent, or, with no model, to the
/// no-model responder. Text after <c>/nocache</c> goes to the agent with the tool-result cache skipped for that turn.</summary>
public sealed class ChatService(ICommandRunner commands, AgentService agent, ModelAccess models, INoModelResponder noModel, IConversationStore conversations) : IChatService
{
    public Task<ChatReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var text = message.Text.Trim();
        if (NoCacheDirective.Strip(text) is { } uncached)
        {
            if (uncached.Length == 0) return Task.FromResult(new ChatReply("Write your question after /nocache: its tools are then called afresh.", IsError: true));
            text = uncached;
            message = message with { BypassToolCache = true };
        }
        else if (CommandLine.TryParse(text, out var name, out var rest))
            return commands.RunTextAsync(name, rest, message.Address, cancellationToken);
        if (text.Length == 0) return Task.FromResult(new ChatReply("Send a question or /help.", IsError: true));
        if (!models.IsConfigured) return noModel.AnswerAsync(message with { Text = text }, cancellationToken);
        return agent.RunTurnAsync(message with { Text = text }, cancellationToken);
    }

    public Task<ChatReply> RunCommandAsync(string name, IReadOnlyDictionary<string, object?> arguments, ChatAddress address, CancellationToken cancellationToken) =>
        commands.RunAsync(name, arguments, address, cancellationToken);

    public Task ResetAsync(ChatAddress address, CancellationToken cancellationToken) =>
        conversations.ResetAsync(address.ConversationKey, cancellationToken);
}

/// <summary>The default answer to free text when no model is configured.</summary>
public sealed class ConfigureModelResponder : INoModelResponder
{
    public Task<ChatReply> AnswerAsync(IncomingMessage message, CancellationToken cancellationToken) =>
        Task.FromResult(new ChatReply($"{ModelAccess.HowToConfigure}\n\nCommands work without a model: try /help.", IsError: true));
}
