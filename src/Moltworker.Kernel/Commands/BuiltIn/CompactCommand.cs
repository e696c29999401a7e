using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Prompts;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Commands.BuiltIn;

/// <summary><c>/compact</c>: summarizes the chat's older messages now, whatever their size (all but the last
/// <c>Moltworker:Context:KeepRecent</c>), with the chat agent's model, as a turn would when its request grows past
/// <c>CompactAt</c>. Works without compaction switched on; needs a model.</summary>
public sealed class CompactCommand(
    IConversationStore conversations,
    ContextCompactor compactor,
    TokenCounter counter,
    PromptLibrary prompts,
    AgentRegistry agents,
    ChatAgents chatAgents,
    ModelAccess models,
    ModelCatalog modelCatalog,
    IOptions<AgentOptions> agentOptions,
    IOptions<ContextOptions> contextOptions) : IBuiltInCommand
{
    public string Name => "compact";
    public string Description => "Summarize the older messages of this conversation";

    public async Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken)
    {
        if (!models.IsConfigured) return new ChatReply($"Nothing was compacted: summaries need a model. {ModelAccess.HowToConfigure}", IsError: true);
        var agent = agents.Get(await chatAgents.AgentOfAsync(address, cancellationToken));
        var model = agent.Model is { } name ? modelCatalog.Get(name) : models.Model;
        var stored = await conversations.LoadHistoryAsync(address.ConversationKey, agentOptions.Value.HistoryMessages, cancellationToken);

        List<ChatMessage> request = [new(ChatRole.System, prompts.SystemPrompt(agent))];
        var fixedTokens = counter.CountRequest(model, request);
        if (stored.Summary is { } summary) request.Add(SummaryMessage.For(summary));
        request.AddRange(stored.Messages.Select(m => m.Message));
        var compaction = new CompactionRequest(TaskIds.New(), address, model, stored, fixedTokens, counter.CountRequest(model, request));

        var result = await compactor.CompactAsync(compaction, cancellationToken);
        if (result is null)
            return new ChatReply($"Nothing to compact: the last {contextOptions.Value.KeepRecent} messages always stay as they are " +
                                 $"(Moltworker:Context:KeepRecent), and this conversation has {stored.Messages.Count} after its last summary.");
        var done = result.Summary;
        return new ChatReply($"Compacted {done.Messages} older message(s) into a summary: the history went from {done.TokensBefore} to {done.TokensAfter} tokens" +
                             (done.Truncated ? " (the summary was cut to fit)." : "."));
    }
}
