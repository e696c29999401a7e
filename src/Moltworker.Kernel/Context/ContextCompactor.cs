using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Prompts;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Context;

/// <summary>
/// Compaction: the older messages of a conversation (all but the last <c>Moltworker:Context:KeepRecent</c>, cut between
/// pieces so that a tool call never loses its results) and the summary so far are summarized by the model with
/// <c>prompts/compaction.md</c>. The summary is given the room that is left under <c>CompactAt</c> of the window once
/// the system prompt, the current turn and the kept messages are counted; when the model's summary is longer than that
/// room (or there is none), its older part is cut off with a note, so one compaction always ends under its target or as
/// close as the kept messages allow. The summary is stored with the range it replaces in one write and
/// <see cref="ContextCompacted"/> is published.
/// </summary>
public sealed partial class ContextCompactor(
    ModelAccess models,
    TokenCounter counter,
    ContextBudget budget,
    PromptLibrary prompts,
    IConversationStore conversations,
    IEventBus events,
    IOptions<ContextOptions> options,
    ILogger<ContextCompactor> logger)
{
    /// <summary>Below this many tokens of room the model is not asked: the summary is only the note.</summary>
    public const int MinSummaryTokens = 32;

    private const string DefaultPrompt = """
        You condense the earlier part of a chat between a user and an AI assistant so that the assistant can continue the
        conversation without it. Keep what the assistant will need: the user's goals, preferences and facts about them,
        decisions made, open questions and promises, names, numbers, dates, and what tool calls found (briefly). Leave
        out small talk and repetition. Write plain prose or short bullet points, in the conversation's language, from a
        neutral point of view. Answer with the summary only.
        """;

    private const string CutNote = "[The older part of this summary was cut to fit the context window.]\n";

    /// <summary>Summarizes and stores; null when there is nothing older than the messages kept.</summary>
    /// <exception cref="ModelConfigurationException">No model is configured.</exception>
    public async Task<CompactionResult?> CompactAsync(CompactionRequest request, CancellationToken cancellationToken)
    {
        var messages = request.History.Messages;
        var cut = CutBefore(messages, options.Value.KeepRecent);
        if (cut == 0) return null;
        var client = models.Client ?? throw new ModelConfigurationException(ModelAccess.HowToConfigure);

        var encoding = counter.EncodingFor(request.Model);
        var kept = 0;
        for (var i = cut; i < messages.Count; i++) kept += TokenCounter.CountMessage(encoding, messages[i].Message);
        var framing = TokenCounter.CountMessage(encoding, SummaryMessage.For(new ConversationSummary(0, "", 0, 0, 0, false)));
        var room = Target(request.Model) - request.FixedTokens - kept - framing;

        string text;
        var truncated = false;
        if (room < MinSummaryTokens)
        {
            text = $"[{cut} older message(s) were left out: there is no room for a summary in the context window.]";
            truncated = true;
        }
        else
        {
            text = await SummarizeAsync(client, request, messages, cut, encoding, room, cancellationToken);
            if (encoding.Count(text) > room)
            {
                text = CutNote + TextCut.KeepEnd(encoding, text, room - encoding.Count(CutNote));
                truncated = true;
                LogCut(request.TaskId, room);
            }
        }

        var summary = new ConversationSummary(messages[cut - 1].Id, text, cut, request.TokensBefore, 0, truncated);
        summary = summary with { TokensAfter = request.FixedTokens + kept + TokenCounter.CountMessage(encoding, SummaryMessage.For(summary)) };
        var stored = await conversations.SaveSummaryAsync(request.Address.ConversationKey, summary, CancellationToken.None);
        LogCompacted(request.TaskId, stored.Messages, stored.TokensBefore, stored.TokensAfter, stored.Truncated);
        events.Publish(new ContextCompacted(request.TaskId, request.Address, stored.TokensBefore, stored.TokensAfter, stored.Messages, stored.Truncated));
        return new CompactionResult(stored, cut);
    }

    /// <summary>The request size compaction aims under: <c>CompactAt</c> of the window (the request budget when
    /// compaction is off and <c>/compact</c> asked for one), never over the request budget.</summary>
    public int Target(ModelInfo model)
    {
        var limit = budget.RequestBudget(model);
        var share = options.Value.CompactAt;
        return share > 0 ? Math.Min(limit, (int)(share * budget.WindowOf(model))) : limit;
    }

    /// <summary>Where the kept messages begin: the start of the piece that makes at least <paramref name="keepRecent"/>
    /// messages kept (a message and its tool results are one piece).</summary>
    private static int CutBefore(IReadOnlyList<StoredMessage> messages, int keepRecent)
    {
        var groups = MessageGroups.Of(messages.Select(m => m.Message).ToList(), 0, messages.Count);
        var cut = messages.Count;
        for (var g = groups.Count - 1; g >= 0 && messages.Count - cut < keepRecent; g--) cut = groups[g].Start;
        return cut;
    }

    private async Task<string> SummarizeAsync(IChatClient client, CompactionRequest request, IReadOnlyList<StoredMessage> messages, int cut,
        TokenEncoding encoding, int room, CancellationToken cancellationToken)
    {
        var prompt = new ChatMessage(ChatRole.System, prompts.Get("compaction")?.Body is { Length: > 0 } body ? body : DefaultPrompt);
        var maxOutput = Math.Min(room, budget.RequestBudget(request.Model) / 2);
        var ask = $"\n\nWrite the summary in at most about {maxOutput} tokens.";
        var inputRoom = budget.RequestBudget(request.Model) - maxOutput - MessageOverhead.ReplyPriming - MessageOverhead.PerMessage
                        - TokenCounter.CountMessage(encoding, prompt) - encoding.Count(ask);
        var transcript = CompactionTranscript.Render(encoding, request.History.Summary?.Text, messages.Take(cut).Select(m => m.Message).ToList(), inputRoom);
        var response = await client.GetResponseAsync([prompt, new ChatMessage(ChatRole.User, transcript + ask)],
            new ChatOptions { MaxOutputTokens = maxOutput }, cancellationToken);
        return response.Text.Trim();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Task {TaskId}: {Messages} older message(s) compacted into a summary; the request goes from {Before} to {After} tokens (cut: {Truncated})")]
    private partial void LogCompacted(string taskId, int messages, int before, int after, bool truncated);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Task {TaskId}: the model's summary was longer than its room of {Room} tokens; its older part was cut")]
    private partial void LogCut(string taskId, int room);
}

/// <summary>What to compact: the stored history the request was built from, what the request takes apart from the
/// earlier messages and their summary (<see cref="FixedTokens"/>: system prompt, current turn, tools) and in all
/// (<see cref="TokensBefore"/>).</summary>
public sealed record CompactionRequest(string TaskId, ChatAddress Address, ModelInfo Model, ConversationHistory History, int FixedTokens, int TokensBefore);

/// <summary>The stored summary, and how many of the history's messages (from its start) it replaced.</summary>
public sealed record CompactionResult(ConversationSummary Summary, int Replaced);
