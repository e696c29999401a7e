using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Context;

/// <summary>
/// Compaction inside a turn: before a model call whose request, with every earlier message, would take more than
/// <c>Moltworker:Context:CompactAt</c> of the window, the earlier messages are compacted (<see cref="ContextCompactor"/>)
/// and the turn's history takes the summary in their place. At most once per turn, whatever came of it: a summary that
/// did not get under the target, or a failed summarizing call, leaves the rest to the history window's truncation. Only
/// a turn that loaded its conversation (<see cref="TurnContext.Stored"/>) compacts: not a turn resumed from a
/// checkpoint, nor a delegated thread. The check itself is one comparison of numbers the window already has.
/// </summary>
public sealed partial class TurnCompaction(ContextCompactor compactor, TokenCounter counter, IOptions<ContextOptions> options,
    ILogger<TurnCompaction> logger)
{
    private readonly ConditionalWeakTable<TurnContext, object> _tried = new();

    /// <summary>Compacts when <paramref name="request"/> calls for it; true when the turn's history changed (fit it again).</summary>
    public async Task<bool> TryAsync(TurnContext turn, WindowedRequest request, ChatOptions? chatOptions)
    {
        if (options.Value.CompactAt <= 0 || turn.Stored is not { Messages.Count: > 0 } stored) return false;
        if (request.FullTokens <= compactor.Target(turn.Model) || !_tried.TryAdd(turn, _tried)) return false;
        try
        {
            return await CompactAsync(turn, stored, request.FullTokens, chatOptions);
        }
        catch (Exception ex) when (ex is not StorageException && !turn.CancellationToken.IsCancellationRequested)
        {
            LogFailed(ex, turn.TaskId);
            return false;
        }
    }

    private async Task<bool> CompactAsync(TurnContext turn, ConversationHistory stored, int tokensBefore, ChatOptions? chatOptions)
    {
        var history = turn.History;
        var first = history.FindIndex(0, turn.TurnStart, m => ReferenceEquals(m, stored.Messages[0].Message));
        if (first < 0 || first + stored.Messages.Count != turn.TurnStart) return false;
        var fixedTokens = counter.CountRequest(turn.Model,
            history.Take(first).Where(m => !SummaryMessage.Is(m)).Concat(history.Skip(turn.TurnStart)), chatOptions);

        var request = new CompactionRequest(turn.TaskId, turn.Address, turn.Model, stored, fixedTokens, tokensBefore);
        if (await compactor.CompactAsync(request, turn.CancellationToken) is not { } result) return false;

        var summaryAt = history.FindIndex(0, first, SummaryMessage.Is);
        history.RemoveRange(first, result.Replaced);
        turn.TurnStart -= result.Replaced;
        if (summaryAt >= 0) history[summaryAt] = SummaryMessage.For(result.Summary);
        else
        {
            history.Insert(first, SummaryMessage.For(result.Summary));
            turn.TurnStart++;
        }
        turn.Stored = new ConversationHistory(result.Summary, stored.Messages.Skip(result.Replaced).ToList());
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Task {TaskId}: compaction failed; older messages are left out of the request instead")]
    private partial void LogFailed(Exception ex, string taskId);
}
