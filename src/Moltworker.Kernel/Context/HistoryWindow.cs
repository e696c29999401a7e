using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Context;

/// <summary>
/// Chooses the messages of one request so that it fits the model's <see cref="ContextBudget">budget</see>. The system
/// prompt and the whole current turn (the user's message, the calls and results so far, phase prompts) always go; earlier
/// messages of the conversation are added newest first while they fit, a message with its tool results as one piece, and
/// the first piece that does not fit ends the walk (no gaps); a note after the system prompt tells the model how many
/// earlier messages were left out. How many earlier messages there are at most is
/// <c>Moltworker:Agent:HistoryMessages</c>, applied when the conversation is loaded. The turn's own history is not
/// changed: only the request is. The earlier messages do not change during a turn, so their counts are kept with the
/// turn after its first model call; the system prompt and the current turn are counted for every call.
/// </summary>
public sealed partial class HistoryWindow(TokenCounter counter, ContextBudget budget, ILogger<HistoryWindow> logger)
{
    private readonly ConditionalWeakTable<TurnContext, EarlierCounts> _earlier = new();

    public WindowedRequest Fit(TurnContext turn, ChatOptions? options)
    {
        var history = turn.History;
        var encoding = counter.EncodingFor(turn.Model);
        var limit = budget.RequestBudget(turn.Model);
        var turnStart = Math.Clamp(turn.TurnStart, 0, history.Count);

        // Leading system messages (the system prompt) and the current turn are fixed.
        var systemEnd = 0;
        while (systemEnd < turnStart && history[systemEnd].Role == ChatRole.System) systemEnd++;
        var tokens = MessageOverhead.ReplyPriming + counter.CountTools(turn.Model, options);
        for (var i = 0; i < systemEnd; i++) tokens += TokenCounter.CountMessage(encoding, history[i]);
        for (var i = turnStart; i < history.Count; i++) tokens += TokenCounter.CountMessage(encoding, history[i]);

        var earlier = EarlierOf(turn, encoding, systemEnd, turnStart);
        var full = tokens + earlier.Total;
        var kept = earlier.Groups.Count;   // the oldest piece that goes
        for (var g = earlier.Groups.Count - 1; g >= 0; g--)
        {
            var group = earlier.Groups[g];
            if (!group.IsComplete) break;
            var cost = earlier.Costs[g];
            if (tokens + cost > limit) break;
            tokens += cost;
            kept = g;
        }

        // What is left out is noted in the request (the note counts too: it may push out one more piece).
        ChatMessage? note = null;
        var keptFrom = kept < earlier.Groups.Count ? earlier.Groups[kept].Start : turnStart;
        while (keptFrom > systemEnd)
        {
            note = DroppedNote.For(keptFrom - systemEnd);
            var noteCost = TokenCounter.CountMessage(encoding, note);
            if (tokens + noteCost <= limit || kept == earlier.Groups.Count)
            {
                tokens += noteCost;
                break;
            }
            tokens -= earlier.Costs[kept++];
            keptFrom = kept < earlier.Groups.Count ? earlier.Groups[kept].Start : turnStart;
        }

        var messages = new List<ChatMessage>(systemEnd + 1 + history.Count - keptFrom);
        for (var i = 0; i < systemEnd; i++) messages.Add(history[i]);
        if (note is not null) messages.Add(note);
        for (var i = keptFrom; i < history.Count; i++) messages.Add(history[i]);
        var dropped = keptFrom - systemEnd;
        var request = new WindowedRequest(messages, tokens, limit, dropped, encoding.IsEstimate) { FullTokens = full };
        if (dropped > 0) LogDropped(turn.TaskId, dropped, turnStart - systemEnd, tokens, limit, encoding.Name);
        if (tokens > limit) LogOverBudget(turn.TaskId, tokens, limit, turn.Model.Id);
        return request;
    }

    /// <summary>The earlier messages' pieces and what each costs, counted once per turn (again if the turn's model, and
    /// with it the encoding, or its bounds changed).</summary>
    private EarlierCounts EarlierOf(TurnContext turn, TokenEncoding encoding, int start, int end)
    {
        if (_earlier.TryGetValue(turn, out var known) && known.Encoding == encoding && known.Start == start && known.End == end
            && ReferenceEquals(known.First, start < end ? turn.History[start] : null))
            return known;
        var groups = MessageGroups.Of(turn.History, start, end);
        var costs = new int[groups.Count];
        var total = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            for (var i = groups[g].Start; i < groups[g].Start + groups[g].Count; i++)
                costs[g] += TokenCounter.CountMessage(encoding, turn.History[i]);
            total += costs[g];
        }
        var counts = new EarlierCounts(encoding, start, end, start < end ? turn.History[start] : null, groups, costs, total);
        _earlier.AddOrUpdate(turn, counts);
        return counts;
    }

    private sealed record EarlierCounts(TokenEncoding Encoding, int Start, int End, ChatMessage? First, List<MessageGroup> Groups, int[] Costs, int Total);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Task {TaskId}: {Dropped} of {Earlier} earlier message(s) left out of the request to fit its budget ({Tokens} of {Budget} tokens, {Encoding})")]
    private partial void LogDropped(string taskId, int dropped, int earlier, int tokens, int budget, string encoding);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Task {TaskId}: the system prompt and the current turn alone take {Tokens} tokens, over the budget of {Budget} for {Model}; the request is sent as it is")]
    private partial void LogOverBudget(string taskId, int tokens, int budget, string model);
}

/// <summary>The messages of one request, what they cost with the tools offered (<see cref="Tokens"/>), the budget they
/// were fitted to, and how many earlier messages were left out (then <see cref="Messages"/> holds a
/// <see cref="DroppedNote"/> after the system prompt). <see cref="IsEstimate"/>: counted with the character estimate
/// (the model's tokenizer is unknown).</summary>
public sealed record WindowedRequest(IReadOnlyList<ChatMessage> Messages, int Tokens, int Budget, int Dropped, bool IsEstimate)
{
    /// <summary>What the request would take with every earlier message of the turn's history (what compaction compares
    /// with <c>Moltworker:Context:CompactAt</c>).</summary>
    public int FullTokens { get; init; }
}
