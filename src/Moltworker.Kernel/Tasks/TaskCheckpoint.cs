using System.Text.Json;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tasks;

/// <summary>The conversation state of a task at a batch boundary: enough to continue the turn in another process.</summary>
public sealed record TaskCheckpoint
{
    public const int SchemaVersion = 1;

    public required string Agent { get; init; }
    public required string ModelId { get; init; }
    public required string Channel { get; init; }
    public required string ChatId { get; init; }
    public string? UserId { get; init; }
    public int PhaseIndex { get; init; }
    public string Phase { get; init; } = "work";

    /// <summary>The phase had started (its prompt is in <see cref="History"/>); false before the first phase.</summary>
    public bool InPhase { get; init; }
    public int Step { get; init; }
    public int TurnStart { get; init; }
    public int ToolCalls { get; init; }
    public int ConsecutiveErrors { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public required List<ChatMessage> History { get; init; }

    public static TaskCheckpoint Of(TurnContext turn, bool inPhase = true) => new()
    {
        Agent = turn.Agent,
        ModelId = turn.Model.Id,
        Channel = turn.Address.Channel,
        ChatId = turn.Address.ChatId,
        UserId = turn.Address.UserId,
        PhaseIndex = turn.PhaseIndex,
        Phase = turn.Phase,
        InPhase = inPhase,
        Step = turn.Step,
        TurnStart = turn.TurnStart,
        ToolCalls = turn.ToolCalls,
        ConsecutiveErrors = turn.ConsecutiveErrors,
        InputTokens = turn.Usage.InputTokenCount ?? 0,
        OutputTokens = turn.Usage.OutputTokenCount ?? 0,
        History = [.. turn.History.Where(m => !ToolMessages.IsAttachment(m))], // tool images live for the turn only
    };

    public StoredCheckpoint Encode() =>
        new(SchemaVersion, JsonSerializer.Serialize(this, AIJsonUtilities.DefaultOptions), Phase, Step);

    /// <summary>Reads a stored checkpoint; an unknown schema version is refused with <see cref="CheckpointVersionException"/>.</summary>
    public static TaskCheckpoint Decode(string taskId, StoredCheckpoint stored)
    {
        if (stored.SchemaVersion != SchemaVersion) throw new CheckpointVersionException(taskId, stored.SchemaVersion);
        return JsonSerializer.Deserialize<TaskCheckpoint>(stored.Payload, AIJsonUtilities.DefaultOptions)
            ?? throw new CheckpointVersionException(taskId, stored.SchemaVersion);
    }

    /// <summary>Puts this state back into a live turn (history, step and counters).</summary>
    public void ApplyTo(TurnContext turn)
    {
        turn.History.Clear();
        turn.History.AddRange(History);
        turn.TurnStart = TurnStart;
        turn.Step = Step;
        turn.ToolCalls = ToolCalls;
        turn.ConsecutiveErrors = ConsecutiveErrors;
        turn.Phase = Phase;
        turn.PhaseIndex = PhaseIndex;
        turn.Usage.InputTokenCount = InputTokens;
        turn.Usage.OutputTokenCount = OutputTokens;
    }
}
